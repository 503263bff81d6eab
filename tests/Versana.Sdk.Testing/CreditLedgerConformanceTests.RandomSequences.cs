using Xunit;

namespace Versana.Sdk.Testing;

public abstract partial class CreditLedgerConformanceTests
{
    // Seeds 5 and 14 each reach a boost pack that expires while a reservation holds credits of it.
    public static TheoryData<int, bool, string> RandomSequences => new()
    {
        { 1, false, "UTC" },
        { 2, false, "America/Santiago" },
        { 3, true, "Asia/Kolkata" },
        { 5, true, "UTC" },
        { 14, true, "UTC" },
        { 40, true, "UTC" },
    };

    /// <summary>See <see cref="LedgerSequence"/>: the store under test must answer exactly as the in-memory reference.</summary>
    [Theory]
    [MemberData(nameof(RandomSequences))]
    public async Task AnySequenceOfDecisions_FollowsTheRules_AddsUp_AndMatchesTheReferenceLedger(int seed, bool packsExpire, string timeZone)
    {
        var ledger = await NewLedgerAsync(o => LedgerSequence.Configure(o, packsExpire));
        var settings = new WorkspaceSettings("acme", "Starter") { AutomationEnabled = seed % 2 == 0, TimeZoneId = timeZone };
        await ledger.CreateWorkspaceAsync(settings);

        await LedgerSequence.RunAgainstReferenceAsync(ledger, Clock, settings, seed, packsExpire);
    }
}
