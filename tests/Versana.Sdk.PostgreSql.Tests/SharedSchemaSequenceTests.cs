using Microsoft.Extensions.Time.Testing;
using Versana.Sdk.Testing;

namespace Versana.Sdk.PostgreSql.Tests;

/// <summary>Three ledgers on one PostgreSQL schema, as three server replicas: each must see what the others changed.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedSchemaSequenceTests(PostgresServer server)
{
    [Theory]
    [InlineData(31, true)]
    [InlineData(32, false)]
    public async Task AnySequenceOfDecisions_SpreadOverLedgersSharingASchema_MatchesOneReferenceLedger(int seed, bool packsExpire)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
        var options = LedgerSequence.CreateOptions(packsExpire);
        var store = new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = PostgresServer.NewSchema() };
        await using var first = PostgresCreditLedger.Open(store, options, clock);
        await using var second = PostgresCreditLedger.Open(store, options, clock);
        await using var third = PostgresCreditLedger.Open(store, options, clock);
        var settings = new WorkspaceSettings("acme", "Starter") { AutomationEnabled = true, TimeZoneId = "Europe/Paris" };
        await first.CreateWorkspaceAsync(settings);

        await LedgerSequence.RunAgainstReferenceAsync(new SpreadLedger(new Random(seed), first, second, third), clock, settings, seed, packsExpire);
    }
}
