namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// The in-memory store's map from reservation hash to row: extendible hashing over small dictionaries, so it
/// grows without ever copying itself whole.
/// </summary>
/// <remarks>
/// One <see cref="Dictionary{TKey, TValue}"/> doubles by copying every entry into a new array; at a few
/// million reservations that array is tens of megabytes on the large object heap, and each resize under load
/// costs a full collection (the guarded endpoint's rate fell round after round until the index was split).
/// Here each shard splits in two once it holds <see cref="ShardCapacity"/> entries, so every array stays below
/// the large object heap's 85,000 bytes and a split copies one shard. The directory of shards doubles only
/// when a shard as deep as the directory splits. Hashes are uniform (XxHash128 of the idempotency key), so the
/// low bits choose the shard.
/// </remarks>
internal sealed class ReservationIndex
{
    /// <summary>
    /// The entries a shard holds before it splits. A dictionary's slots are 32 bytes here and it grows to the
    /// next prime above twice its count: a half of a split starts at 1,100 slots and grows once, to 2,203
    /// (70,496 bytes), below the 85,000 bytes where the large object heap begins.
    /// </summary>
    internal const int ShardCapacity = 2048;

    private const int HalfCapacity = 1100;

    /// <summary>The deepest the directory goes (65,536 slots, 512 KB): past it, shards grow instead of splitting.</summary>
    private const int MaxDepth = 16;

    private Shard[] _directory = [new Shard(0, 0, 0)];
    private int _globalDepth;

    /// <summary>Gets the number of entries.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the number of distinct shards (for tests).</summary>
    internal int ShardCount => _directory.Distinct().Count();

    /// <summary>Gets the number of directory slots (for tests).</summary>
    internal int DirectorySize => _directory.Length;

    public bool TryGetValue(UInt128 hash, out int value) => ShardOf(hash).Map.TryGetValue(hash, out value);

    public bool ContainsKey(UInt128 hash) => ShardOf(hash).Map.ContainsKey(hash);

    /// <summary>Adds an entry; throws <see cref="ArgumentException"/> when <paramref name="hash"/> is already there.</summary>
    public void Add(UInt128 hash, int value)
    {
        var shard = ShardOf(hash);
        if (shard.Map.Count >= shard.Limit && shard.Depth < MaxDepth && !shard.Map.ContainsKey(hash))
        {
            Split(shard);
            shard = ShardOf(hash);
        }

        shard.Map.Add(hash, value);
        Count++;
    }

    private static int LowBits(UInt128 hash) => (int)(ulong)hash;

    private Shard ShardOf(UInt128 hash) => _directory[LowBits(hash) & ((1 << _globalDepth) - 1)];

    private void Split(Shard shard)
    {
        if (shard.Depth == _globalDepth)
        {
            // Every shard is named by the low bits it shares; one more bit names twice as many.
            var doubled = new Shard[_directory.Length * 2];
            _directory.CopyTo(doubled, 0);
            _directory.CopyTo(doubled, _directory.Length);
            _directory = doubled;
            _globalDepth++;
        }

        var bit = 1 << shard.Depth;
        var low = new Shard(shard.Depth + 1, shard.Prefix, HalfCapacity);
        var high = new Shard(shard.Depth + 1, shard.Prefix | bit, HalfCapacity);
        foreach (var (hash, value) in shard.Map)
        {
            ((LowBits(hash) & bit) == 0 ? low : high).Map.Add(hash, value);
        }

        // The directory slots that pointed at the shard share its low bits; the next bit now tells them apart.
        for (var slot = shard.Prefix; slot < _directory.Length; slot += bit)
        {
            _directory[slot] = (slot & bit) == 0 ? low : high;
        }

        // Hashes that share more low bits than the split looked at (not seen with real keys, but keys come from
        // callers) all land on one side: that side grows to twice its size before it splits again, so such
        // hashes cannot double the directory on every insert.
        if (low.Map.Count == 0 || high.Map.Count == 0)
        {
            var full = low.Map.Count == 0 ? high : low;
            full.Limit = full.Map.Count * 2;
        }
    }

    /// <summary>The entries whose low <paramref name="depth"/> bits equal <paramref name="prefix"/>.</summary>
    private sealed class Shard(int depth, int prefix, int capacity)
    {
        public int Depth { get; } = depth;

        public int Prefix { get; } = prefix;

        public Dictionary<UInt128, int> Map { get; } = new(capacity);

        /// <summary>Gets or sets the entries past which the shard splits.</summary>
        public int Limit { get; set; } = ShardCapacity;
    }
}
