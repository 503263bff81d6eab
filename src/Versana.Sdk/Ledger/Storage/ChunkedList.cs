namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// An append-only list of reference-free values kept in fixed-size chunks: growing never copies what is
/// already stored, and the garbage collector has nothing inside to trace.
/// </summary>
/// <typeparam name="T">The value type; <see langword="unmanaged"/> guarantees it holds no references.</typeparam>
internal sealed class ChunkedList<T>
    where T : unmanaged
{
    private const int ChunkShift = 10;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private T[][] _chunks = new T[4][];

    public int Count { get; private set; }

    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            return ref _chunks[index >> ChunkShift][index & ChunkMask];
        }
    }

    /// <summary>Appends <paramref name="value"/> and returns its index.</summary>
    public int Add(in T value)
    {
        var index = Count;
        var chunk = index >> ChunkShift;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        (_chunks[chunk] ??= new T[ChunkSize])[index & ChunkMask] = value;
        Count = index + 1;
        return index;
    }
}
