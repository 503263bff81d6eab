using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.Tests.Ledger;

/// <summary>The in-memory journal's rows live in native chunks: they must read back, refuse bad indexes, and be freed once.</summary>
public sealed class ChunkedListTests
{
    private record struct Row(long Value, int Index, byte Tag);

    // Used by the pool's test alone, so no other test's lists (or their finalizers) share its pool.
    private record struct PooledRow(long Value, long Check);

    [Fact]
    public void Values_read_back_across_chunks_and_writes_through_the_reference_stick()
    {
        using var list = new ChunkedList<Row>();

        // 16-byte rows: 4,096 a 64 KB chunk, so this spans six chunks and grows the table of chunks (four at first).
        const int count = 5 * 4096 + 7;
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i, list.Add(new Row(i * 3L, i, (byte)i)));
        }

        Assert.Equal(16, System.Runtime.CompilerServices.Unsafe.SizeOf<Row>());
        list[4096].Value = -1;
        ref var last = ref list[count - 1];
        last.Tag = 200;

        Assert.Equal(count, list.Count);
        for (var i = 0; i < count; i++)
        {
            var expected = new Row(i == 4096 ? -1 : i * 3L, i, i == count - 1 ? (byte)200 : (byte)i);
            Assert.Equal(expected, list[i]);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => list[count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
    }

    [Fact]
    public void Freed_chunks_serve_the_next_list_up_to_the_pools_bound()
    {
        const int perChunk = 64 * 1024 / 16;
        Assert.Equal(0, ChunkedList<PooledRow>.PooledChunks);
        Assert.Equal(ChunkedList<PooledRow>.MaxPooledBytes / (64 * 1024), ChunkedList<PooledRow>.PoolCapacity);

        var first = new ChunkedList<PooledRow>();
        for (var i = 0; i < 3 * perChunk; i++)
        {
            first.Add(new PooledRow(i, ~i));
        }

        first.Dispose();
        Assert.Equal(3, ChunkedList<PooledRow>.PooledChunks);
        Assert.Equal(0, ChunkedList<PooledRow>.NativeBytes);

        // The next list takes a pooled chunk, and sees only what it wrote itself.
        var second = new ChunkedList<PooledRow>();
        second.Add(new PooledRow(42, 43));
        Assert.Equal(2, ChunkedList<PooledRow>.PooledChunks);
        Assert.Equal(64 * 1024, ChunkedList<PooledRow>.NativeBytes);
        Assert.Equal(1, second.Count);
        Assert.Equal(new PooledRow(42, 43), second[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => second[1]);

        // Beyond the bound a freed chunk goes back to the allocator.
        var big = new ChunkedList<PooledRow>();
        var chunks = ChunkedList<PooledRow>.PoolCapacity + 5;
        for (var i = 0; i < chunks * perChunk; i++)
        {
            big.Add(new PooledRow(i, ~i));
        }

        Assert.Equal(0, ChunkedList<PooledRow>.PooledChunks);
        Assert.Equal(new PooledRow(chunks * perChunk - 1, ~(chunks * perChunk - 1)), big[chunks * perChunk - 1]);
        big.Dispose();
        second.Dispose();
        Assert.Equal(ChunkedList<PooledRow>.PoolCapacity, ChunkedList<PooledRow>.PooledChunks);
        Assert.Equal(0, ChunkedList<PooledRow>.NativeBytes);
    }

    [Fact]
    public void A_disposed_list_refuses_reads_and_writes_and_can_be_disposed_again()
    {
        var list = new ChunkedList<Row>();
        list.Add(new Row(1, 1, 1));

        list.Dispose();
        list.Dispose();

        Assert.Equal(0, list.Count);
        Assert.Throws<ObjectDisposedException>(() => list[0]);
        Assert.Throws<ObjectDisposedException>(() => list.Add(new Row(2, 2, 2)));
    }

    [Fact]
    public void Lists_dropped_with_or_without_disposing_are_freed_once()
    {
        // A double free or a free of a never-allocated chunk would bring the test process down here.
        Drop();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        using var after = new ChunkedList<Row>();
        after.Add(new Row(7, 7, 7));
        Assert.Equal(new Row(7, 7, 7), after[0]);

        static void Drop()
        {
            for (var i = 0; i < 64; i++)
            {
                var list = new ChunkedList<Row>();
                if (i % 3 != 0)
                {
                    list.Add(new Row(i, i, 0));
                }

                if (i % 2 == 0)
                {
                    list.Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task A_disposed_in_memory_ledger_refuses_calls_instead_of_reading_freed_rows()
    {
        var ledger = CreditLedger.CreateInMemory();
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("ws", "Starter"));
        var reserved = await ledger.ReserveAsync("ws", new ReservationRequest(AiFeature.ReplySuggestion, "k1"));
        await ledger.CommitAsync("ws", reserved.Reservation!.Id);

        await ledger.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await ledger.GetBalanceAsync("ws"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await ledger.GetEntriesAsync("ws"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await ledger.ReserveAsync("ws", new ReservationRequest(AiFeature.ReplySuggestion, "k2")));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await ledger.GetUsageAsync("ws", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)));
    }
}
