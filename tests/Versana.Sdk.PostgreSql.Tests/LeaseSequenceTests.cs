using Microsoft.Extensions.Time.Testing;
using Versana.Sdk.Testing;

namespace Versana.Sdk.PostgreSql.Tests;

/// <summary>
/// One process in lease mode, alone on its workspace: whatever it serves from its lease and whatever goes to the
/// shared ledger, it must decide every call as one in-memory ledger does, and settle to the same commits.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LeaseSequenceTests(PostgresServer server)
{
    [Theory]
    [InlineData(41, true)]
    [InlineData(42, false)]
    public async Task AnySequenceOfDecisions_InLeaseMode_DecidesAsOneReferenceLedger_AndSettlesToItsCommits(int seed, bool packsExpire)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
        var options = LedgerSequence.CreateOptions(packsExpire);
        var store = new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = PostgresServer.NewSchema() };

        // Blocks smaller than the Starter month, so the sequence takes, tops up, returns and runs dry.
        store.Lease.Enabled = true;
        store.Lease.BlockSize = 40;
        store.Lease.CompletedRetention = TimeSpan.FromDays(365);
        var leased = PostgresCreditLedger.OpenLeased(store, options, clock);
        var settings = new WorkspaceSettings("acme", "Starter") { AutomationEnabled = true, TimeZoneId = "Europe/Paris" };
        await leased.CreateWorkspaceAsync(settings);

        CreditLedger? plain = null;
        try
        {
            await LedgerSequence.RunLeasedAgainstReferenceAsync(leased, clock, settings, seed, packsExpire, async () =>
            {
                await leased.DisposeAsync();
                plain = PostgresCreditLedger.Open(new PostgresLedgerOptions { ConnectionString = store.ConnectionString, Schema = store.Schema }, options, clock);
                return plain;
            });
        }
        finally
        {
            await leased.DisposeAsync();
            if (plain is not null)
            {
                await plain.DisposeAsync();
            }
        }
    }
}
