namespace Versana.Sdk.Sqlite.Tests;

public sealed class SqliteWalTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task SustainedLoad_StartsTheWalOverInsteadOfGrowingIt()
    {
        await using var ledger = SqliteCreditLedger.Open(_database.Path);
        var store = (SqliteCreditStore)ledger.Store;
        store.WalResetPages = 64;
        store.CheckpointEveryBatches = 4;
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Scale"));

        // Load without a pause: a background checkpoint alone never lets SQLite start the WAL over, so the
        // file grew by ~18 KB per pair for as long as the load lasted.
        var pairs = 0;
        var callers = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            for (var i = 0; store.WalResets < 3 && i < 10_000; i++)
            {
                var r = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, $"c{c}-{i}"));
                await ledger.CommitAsync("acme", r.Reservation!.Id);
                Interlocked.Increment(ref pairs);
            }
        }));
        await Task.WhenAll(callers);

        Assert.True(store.WalResets >= 3, $"The WAL never started over in {pairs} pairs.");
        var walBytes = new FileInfo(_database.Path + "-wal").Length;
        Assert.True(walBytes < 8 * 1024 * 1024, $"The WAL is {walBytes:N0} bytes after {pairs} pairs.");
        Assert.Equal(pairs, (await ledger.GetBalanceAsync("acme")).Used);
        Assert.True((await ledger.VerifyAsync("acme")).IsConsistent);
    }
}
