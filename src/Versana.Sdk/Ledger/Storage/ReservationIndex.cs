namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// The in-memory store's index from reservation hashes to record numbers: open addressing with linear
/// probing over one array of 64-bit slots, each a 32-bit code of the hash and the record number, at most half full.
/// </summary>
/// <remarks>
/// <para>
/// It replaces a <c>Dictionary&lt;UInt128, int&gt;</c>. Every reserve looks its key up first (a retry finds its
/// reservation) and almost always misses; the dictionary read a bucket array and then a 48-byte entry somewhere
/// else, two cache misses once the store outgrew the caches, and at a million reservations the reserve path
/// cost several times what it did on a fresh ledger. Here a miss reads one slot, nearly always in one cache line,
/// and a record is only read when its code matches.
/// </para>
/// <para>
/// The code is <see cref="HashCode"/>'s, seeded per process as the dictionary's was: the hash derives from
/// idempotency keys a caller chooses, and an unseeded position would let one grind keys into a single probe run.
/// The code alone decides a slot's position, so growing never reads the records.
/// </para>
/// </remarks>
internal sealed class ReservationIndex
{
    private const int InitialCapacity = 16;

    private ulong[] _slots = new ulong[InitialCapacity];
    private int _mask = InitialCapacity - 1;

    public int Count { get; private set; }

    /// <summary>Returns the record indexed under <paramref name="hash"/>, or -1.</summary>
    public int Find<TRecords>(UInt128 hash, TRecords records)
        where TRecords : IHashedRecords
    {
        var code = Code(hash);
        var slots = _slots;
        var mask = _mask;
        for (var i = (int)code & mask; ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot == 0)
            {
                return -1;
            }

            if ((uint)(slot >> 32) == code && records.HashOf(RecordOf(slot)) == hash)
            {
                return RecordOf(slot);
            }
        }
    }

    /// <summary>Indexes <paramref name="record"/> under <paramref name="hash"/>, which must not be indexed yet.</summary>
    public void Add(UInt128 hash, int record)
    {
        if ((uint)record >= int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(record));
        }

        if ((Count + 1) * 2L > _slots.Length)
        {
            Grow();
        }

        Insert(_slots, _mask, ((ulong)Code(hash) << 32) | (uint)(record + 1));
        Count++;
    }

    // Combined as UInt128.GetHashCode is, so positions are as well spread, and as unpredictable, as the dictionary's were.
    private static uint Code(UInt128 hash) => (uint)HashCode.Combine((ulong)hash, (ulong)(hash >> 64));

    // Record numbers are kept one up, so an empty slot is zero whatever the code.
    private static int RecordOf(ulong slot) => (int)(uint)slot - 1;

    private static void Insert(ulong[] slots, int mask, ulong slot)
    {
        var i = (int)(slot >> 32) & mask;
        while (slots[i] != 0)
        {
            i = (i + 1) & mask;
        }

        slots[i] = slot;
    }

    private void Grow()
    {
        var slots = new ulong[_slots.Length * 2];
        var mask = slots.Length - 1;
        foreach (var slot in _slots)
        {
            if (slot != 0)
            {
                Insert(slots, mask, slot);
            }
        }

        _slots = slots;
        _mask = mask;
    }
}
