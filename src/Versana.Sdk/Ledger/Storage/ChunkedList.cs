using System.Runtime.InteropServices;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// An append-only list of reference-free values kept in fixed-size chunks of native memory: growing never copies
/// what is already stored, and the garbage collector never sees the rows at all.
/// </summary>
/// <typeparam name="T">The value type; <see langword="unmanaged"/> guarantees it holds no references.</typeparam>
/// <remarks>
/// <para>
/// The in-memory store keeps every row for good. In managed chunks each row was still copied by the collector on its
/// way from the youngest generation to the oldest (twice), and those copies were most of what a collection cost while
/// the ledger was busy: a guarded call kept about 170 bytes of rows, and the collections that moved them paused the
/// process for about a quarter of the call's time. Pinned or large-object chunks avoid the copies but count towards the
/// next full collection, which a long-running server then pays for. Native chunks do neither.
/// </para>
/// <para>
/// The chunks are freed when the store is disposed, or by the finalizer when a list is dropped undisposed. Rows are
/// reached only under the workspace's lock, through the store's live workspace, so no row is read after its chunk is
/// freed. The memory is not reported to the collector (<see cref="GC.AddMemoryPressure(long)"/>): it is freed with
/// the store, never by a collection, so pressure would only bring on full collections that cannot free it.
/// </para>
/// <para>
/// A freed chunk goes to a small pool for the next list of the same row type, up to <see cref="MaxPooledBytes"/>;
/// only beyond that is it given back to the allocator. The collector keeps and reuses the memory of dead objects the
/// same way, and for the same reason: the allocator hands freed chunks back to the operating system, and fresh
/// pages cost a page fault each on first write. On the virtual machines measured that was about 13 µs a 4 KB page,
/// about half a microsecond a guarded call for a ledger made after another was disposed (tests, the benchmark
/// suite, anything that builds and drops stores). A ledger that only grows gains nothing from the pool: its rows
/// need new memory however it is allocated.
/// </para>
/// </remarks>
internal sealed unsafe class ChunkedList<T> : IDisposable
    where T : unmanaged
{
    // 64 KB a chunk, as the managed chunks were (they had to stay below the large object heap's 85,000 bytes).
    private static readonly int s_chunkShift = 31 - int.LeadingZeroCount(64 * 1024 / sizeof(T));
    private static readonly int s_chunkSize = 1 << s_chunkShift;
    private static readonly int s_chunkMask = s_chunkSize - 1;

    /// <summary>The most memory the pool of freed chunks keeps for each row type.</summary>
    internal const int MaxPooledBytes = 4 * 1024 * 1024;

    private static readonly int s_chunkBytes = s_chunkSize * sizeof(T);
    private static readonly Lock s_poolLock = new();
    private static readonly nint[] s_pool = new nint[Math.Max(1, MaxPooledBytes / s_chunkBytes)];
    private static int s_pooled;
    private static long s_nativeBytes;

    private nint[] _chunks = new nint[4];
    private bool _disposed;

    public ChunkedList()
    {
        // Nothing to free until the first chunk: an empty list (a placeholder workspace) costs the finalizer nothing.
        GC.SuppressFinalize(this);
    }

    ~ChunkedList() => Free();

    /// <summary>Gets the native memory all lists of this row type hold, for the benchmarks' accounts of what a ledger keeps.</summary>
    public static long NativeBytes => Interlocked.Read(ref s_nativeBytes);

    /// <summary>Gets how many freed chunks of this row type wait in the pool.</summary>
    internal static int PooledChunks
    {
        get
        {
            lock (s_poolLock)
            {
                return s_pooled;
            }
        }
    }

    /// <summary>Gets how many chunks the pool keeps at most for this row type.</summary>
    internal static int PoolCapacity => s_pool.Length;

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
        ObjectDisposedException.ThrowIf(_disposed, this);
        var index = Count;
        var chunk = index >> s_chunkShift;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        if (_chunks[chunk] == 0)
        {
            _chunks[chunk] = RentChunk();
            Interlocked.Add(ref s_nativeBytes, s_chunkBytes);
            if (chunk == 0)
            {
                GC.ReRegisterForFinalize(this);
            }
        }

        ((T*)_chunks[chunk])[index & s_chunkMask] = value;
        Count = index + 1;
        return index;
    }

    /// <summary>Frees the chunks; the list is empty and refuses new values afterwards.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        _disposed = true;
        Count = 0;
        var chunks = _chunks;
        _chunks = [];
        foreach (var chunk in chunks)
        {
            if (chunk != 0)
            {
                ReturnChunk(chunk);
                Interlocked.Add(ref s_nativeBytes, -s_chunkBytes);
            }
        }
    }

    // A pooled chunk holds the rows of the list that had it; Add overwrites a row before Count lets anyone read it.
    private static nint RentChunk()
    {
        lock (s_poolLock)
        {
            if (s_pooled > 0)
            {
                var chunk = s_pool[--s_pooled];
                s_pool[s_pooled] = 0;
                return chunk;
            }
        }

        return (nint)NativeMemory.Alloc((nuint)s_chunkBytes);
    }

    private static void ReturnChunk(nint chunk)
    {
        lock (s_poolLock)
        {
            if (s_pooled < s_pool.Length)
            {
                s_pool[s_pooled++] = chunk;
                return;
            }
        }

        NativeMemory.Free((void*)chunk);
    }

    private void ThrowOutOfRange(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        throw new ArgumentOutOfRangeException(nameof(index), index, $"The list holds {Count} values.");
    }
}
