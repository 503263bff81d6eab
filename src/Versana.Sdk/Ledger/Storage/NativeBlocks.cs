using System.Runtime.InteropServices;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// Blocks of native memory that one owner keeps for good and frees together: the in-memory journal's row chunks
/// (<see cref="ChunkedList{T}"/>) and text blocks (<see cref="TextArena"/>).
/// </summary>
/// <remarks>
/// <para>
/// The in-memory store keeps every row and key for good. On the managed heap each was still copied by the collector
/// on its way from the youngest generation to the oldest (twice), and those copies were most of what a collection
/// cost while the ledger was busy: a guarded call kept about 220 bytes, and the collections that moved them paused
/// the process for about a quarter of the call's time. Pinned or large-object blocks avoid the copies but count
/// towards the next full collection, which a long-running server then pays for. Native blocks do neither.
/// </para>
/// <para>
/// The blocks are freed by <see cref="Dispose"/> (the store's), or by the finalizer when the owner is dropped
/// undisposed. They are reached only under the workspace's lock, through the store's live workspace, so no block is
/// read after it is freed. The memory is not reported to the collector (<see cref="GC.AddMemoryPressure(long)"/>): it
/// is freed with the store, never by a collection, so pressure would only bring on full collections that cannot free it.
/// </para>
/// </remarks>
internal sealed unsafe class NativeBlocks : IDisposable
{
    private static long s_totalBytes;

    private nint[] _blocks = new nint[4];
    private long _bytes;
    private bool _disposed;

    public NativeBlocks()
    {
        // Nothing to free until the first block: an empty owner (a placeholder workspace) costs the finalizer nothing.
        GC.SuppressFinalize(this);
    }

    ~NativeBlocks() => Free();

    /// <summary>Gets the native memory every owner holds, for the benchmarks' accounts of what a ledger keeps.</summary>
    public static long TotalBytes => Interlocked.Read(ref s_totalBytes);

    public int Count { get; private set; }

    public bool IsDisposed => _disposed;

    /// <summary>Gets the address of block <paramref name="index"/>.</summary>
    public nint this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                ThrowOutOfRange(index);
            }

            return _blocks[index];
        }
    }

    /// <summary>Allocates a block of <paramref name="bytes"/> (not cleared) and returns its address; its index is <see cref="Count"/> - 1.</summary>
    public nint Allocate(int bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        if (Count == _blocks.Length)
        {
            Array.Resize(ref _blocks, _blocks.Length * 2);
        }

        var block = (nint)NativeMemory.Alloc((nuint)bytes);
        _blocks[Count] = block;
        if (Count++ == 0)
        {
            GC.ReRegisterForFinalize(this);
        }

        _bytes += bytes;
        Interlocked.Add(ref s_totalBytes, bytes);
        return block;
    }

    /// <summary>Frees every block; the owner refuses new blocks and reads afterwards.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        _disposed = true;
        var blocks = _blocks;
        var count = Count;
        _blocks = [];
        Count = 0;
        for (var i = 0; i < count; i++)
        {
            NativeMemory.Free((void*)blocks[i]);
        }

        Interlocked.Add(ref s_totalBytes, -_bytes);
        _bytes = 0;
    }

    private void ThrowOutOfRange(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        throw new ArgumentOutOfRangeException(nameof(index), index, $"There are {Count} blocks.");
    }
}
