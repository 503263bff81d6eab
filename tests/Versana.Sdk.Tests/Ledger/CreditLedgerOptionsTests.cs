namespace Versana.Sdk.Tests.Ledger;

public sealed class CreditLedgerOptionsTests
{
    [Fact]
    public void APlanAboveTheLargestAcceptedValue_IsRefusedAtStart_NamingTheLimit()
    {
        var options = new CreditLedgerOptions();
        options.Plans.Add(new CreditPlan("Huge", 0m, long.MaxValue));

        var refused = Assert.Throws<ArgumentException>(() => CreditLedger.CreateInMemory(options));
        Assert.Contains("plan 'Huge' has MonthlyCredits 9223372036854775807: use 0 (a plan without AI) to 1,000,000,000,000", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABoostPackAboveTheLargestAcceptedValue_IsRefusedAtStart()
    {
        var options = new CreditLedgerOptions();
        options.BoostPackSizes.Add(long.MaxValue);

        var refused = Assert.Throws<ArgumentException>(() => CreditLedger.CreateInMemory(options));
        Assert.Contains("BoostPackSizes must contain only sizes from 1 to 1,000,000,000,000", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLargestAcceptedPlanAndPacks_AddUpWithoutOverflow()
    {
        var options = new CreditLedgerOptions { MaxCreditsPerRequest = CreditLedgerOptions.MaxCredits };
        options.Plans.Add(new CreditPlan("Huge", 0m, CreditLedgerOptions.MaxCredits));
        options.BoostPackSizes.Add(CreditLedgerOptions.MaxCredits);
        await using var ledger = CreditLedger.CreateInMemory(options);
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Huge"));
        await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(CreditLedgerOptions.MaxCredits, "p1"));
        var balance = (await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(CreditLedgerOptions.MaxCredits, "p2"))).Balance;

        Assert.Equal(3 * CreditLedgerOptions.MaxCredits, balance.Available);
        Assert.Equal(2 * CreditLedgerOptions.MaxCredits, balance.BoostRemaining);
        var reserved = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "all") { Credits = CreditLedgerOptions.MaxCredits });
        Assert.Equal(2 * CreditLedgerOptions.MaxCredits, reserved.Balance.Available);
        Assert.True((await ledger.VerifyAsync("acme")).IsConsistent);
    }
}
