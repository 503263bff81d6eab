using System.Runtime.CompilerServices;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// An append-only list of reference-free values kept in fixed-size chunks: growing never copies what is
/// already stored, and the garbage collector has nothing inside to trace.
/// </summary>
/// <typeparam name="T">The value type; <see langword="unmanaged"/> guarantees it holds no references.</typeparam>
internal sealed class ChunkedList<T>
    where T : unmanaged
{
    // Chunks stay below the large object heap's 85,000 bytes: a large object is cheap to keep but every one
    // allocated counts towards the next full collection.
    private static readonly int s_chunkShift = 31 - int.LeadingZeroCount(64 * 1024 / Unsafe.SizeOf<T>());
    private static readonly int s_chunkSize = 1 << s_chunkShift;
    private static readonly int s_chunkMask = s_chunkSize - 1;

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

            return ref _chunks[index >> s_chunkShift][index & s_chunkMask];
        }
    }

    /// <summary>Appends <paramref name="value"/> and returns its index.</summary>
    public int Add(in T value)
    {
        var index = Count;
        var chunk = index >> s_chunkShift;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        (_chunks[chunk] ??= new T[s_chunkSize])[index & s_chunkMask] = value;
        Count = index + 1;
        return index;
    }
}
