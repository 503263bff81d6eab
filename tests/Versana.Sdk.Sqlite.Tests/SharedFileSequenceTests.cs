using Microsoft.Extensions.Time.Testing;
using Versana.Sdk.Testing;

namespace Versana.Sdk.Sqlite.Tests;

/// <summary>Three ledgers on one SQLite file, as three processes sharing it: each must see what the others changed.</summary>
public sealed class SharedFileSequenceTests
{
    [Theory]
    [InlineData(21, true)]
    [InlineData(22, false)]
    public async Task AnySequenceOfDecisions_SpreadOverLedgersSharingAFile_MatchesOneReferenceLedger(int seed, bool packsExpire)
    {
        using var database = new TempDatabase();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
        var options = LedgerSequence.CreateOptions(packsExpire);
        await using var first = SqliteCreditLedger.Open(new SqliteLedgerOptions { Path = database.Path }, options, clock);
        await using var second = SqliteCreditLedger.Open(new SqliteLedgerOptions { Path = database.Path }, options, clock);
        await using var third = SqliteCreditLedger.Open(new SqliteLedgerOptions { Path = database.Path }, options, clock);
        var settings = new WorkspaceSettings("acme", "Starter") { AutomationEnabled = true };
        await first.CreateWorkspaceAsync(settings);

        await LedgerSequence.RunAgainstReferenceAsync(new SpreadLedger(new Random(seed), first, second, third), clock, settings, seed, packsExpire);
    }
}
