namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// An append-only list of reference-free values kept in fixed-size chunks of native memory (<see cref="NativeBlocks"/>):
/// growing never copies what is already stored, and the garbage collector never sees the values at all.
/// </summary>
/// <typeparam name="T">The value type; <see langword="unmanaged"/> guarantees it holds no references.</typeparam>
internal sealed unsafe class ChunkedList<T> : IDisposable
    where T : unmanaged
{
    // 64 KB a chunk, as the managed chunks were (they had to stay below the large object heap's 85,000 bytes).
    private static readonly int s_chunkShift = 31 - int.LeadingZeroCount(64 * 1024 / sizeof(T));
    private static readonly int s_chunkSize = 1 << s_chunkShift;
    private static readonly int s_chunkMask = s_chunkSize - 1;

    private readonly NativeBlocks _chunks = new();

    public int Count { get; private set; }

    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                ThrowOutOfRange(index);
            }

            return ref ((T*)_chunks[index >> s_chunkShift])[index & s_chunkMask];
        }
    }

    /// <summary>Appends <paramref name="value"/> and returns its index.</summary>
    public int Add(in T value)
    {
        var index = Count;
        var chunk = index >> s_chunkShift;
        nint address;
        if (chunk < _chunks.Count)
        {
            address = _chunks[chunk];
        }
        else
        {
            ObjectDisposedException.ThrowIf(_chunks.IsDisposed, this);
            address = _chunks.Allocate(s_chunkSize * sizeof(T));
        }

        ((T*)address)[index & s_chunkMask] = value;
        Count = index + 1;
        return index;
    }

    /// <summary>Frees the chunks; the list is empty and refuses reads and new values afterwards.</summary>
    public void Dispose()
    {
        Count = 0;
        _chunks.Dispose();
    }

    private void ThrowOutOfRange(int index)
    {
        ObjectDisposedException.ThrowIf(_chunks.IsDisposed, this);
        throw new ArgumentOutOfRangeException(nameof(index), index, $"The list holds {Count} values.");
    }
}
