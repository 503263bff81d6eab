using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Versana.Sdk.Sqlite.Tests;

public sealed class SqliteLedgerDurabilityTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Reopening_RestoresBalanceReservationsAndIdempotency()
    {
        string held;
        await using (var ledger = SqliteCreditLedger.Open(_database.Path, timeProvider: _clock))
        {
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter") { TimeZoneId = "Pacific/Auckland" });
            var r = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "k1") { Credits = 10 });
            await ledger.CommitAsync("acme", r.Reservation!.Id, 6);
            held = (await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, "k2"))).Reservation!.Id;
            await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "b1"));
        }

        await using (var ledger = SqliteCreditLedger.Open(_database.Path, timeProvider: _clock))
        {
            var balance = await ledger.GetBalanceAsync("acme");
            Assert.Equal(6, balance.Used);
            Assert.Equal(1, balance.Held);
            Assert.Equal(1_000, balance.BoostRemaining);
            Assert.Equal("Pacific/Auckland", balance.TimeZoneId);

            var retried = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, "k2"));
            Assert.Equal(held, retried.Reservation!.Id);
            var again = await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "b1"));
            Assert.Equal(1_000, again.Balance.BoostRemaining);

            _clock.Advance(TimeSpan.FromMinutes(3));
            Assert.Equal(0, (await ledger.GetBalanceAsync("acme")).Held);
            var verification = await ledger.VerifyAsync("acme");
            Assert.True(verification.IsConsistent, string.Join("; ", verification.Differences));
        }
    }

    [Fact]
    public async Task TwoStoresOnOneFile_ShareThePoolWithoutOverspending()
    {
        await using var first = SqliteCreditLedger.Open(_database.Path, timeProvider: _clock);
        await using var second = SqliteCreditLedger.Open(_database.Path, timeProvider: _clock);
        await first.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));
        long charged = 0;

        async Task Spend(CreditLedger ledger)
        {
            while (true)
            {
                var r = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, Guid.NewGuid().ToString("N")) { Credits = 7 });
                if (!r.IsGranted)
                {
                    return;
                }

                Interlocked.Add(ref charged, (await ledger.CommitAsync("acme", r.Reservation.Id)).Charged);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Spend(i % 2 == 0 ? first : second))));

        Assert.Equal(3_000 / 7 * 7, charged);
        Assert.Equal(charged, (await second.GetBalanceAsync("acme")).Used);
        Assert.True((await first.VerifyAsync("acme")).IsConsistent);
        Assert.True((await second.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task SchemaVersion_IsRecorded_AndANewerDatabaseIsRefused()
    {
        await using (SqliteCreditLedger.Open(_database.Path))
        {
        }

        using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version;";
            Assert.Equal((long)SqliteSchema.CurrentVersion, command.ExecuteScalar());
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<InvalidOperationException>(() => SqliteCreditLedger.Open(_database.Path));
        Assert.Contains("newer", ex.Message);
    }

    [Fact]
    public async Task FailedWrite_FailsTheBatchWithLedgerUnavailable_AndKeepsNothing()
    {
        await using var ledger = SqliteCreditLedger.Open(_database.Path, timeProvider: _clock);
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));

        // Sabotage the entries table from outside, as a full disk or a broken file would.
        using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER fail BEFORE INSERT ON versana_entries BEGIN SELECT RAISE(ABORT, 'disk full'); END;";
            command.ExecuteNonQuery();
        }

        var ex = await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, "k")).AsTask());
        Assert.Equal(CreditLedgerError.LedgerUnavailable, ex.Error);

        using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER fail;";
            command.ExecuteNonQuery();
        }

        var balance = await ledger.GetBalanceAsync("acme");
        Assert.Equal(0, balance.Held);
        var retry = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, "k"));
        Assert.True(retry.IsGranted);
        Assert.True((await ledger.VerifyAsync("acme")).IsConsistent);
    }
}
