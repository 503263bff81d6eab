namespace Versana.Sdk.Tests.Rules;

public sealed class LedgerRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SplitHold_TakesMonthlyFirst_ThenBoostsByEarliestExpiry_NeverExpiringLast()
    {
        LedgerRules.BoostBucket[] boosts =
        [
            new("forever", 100, null, T0),
            new("late", 100, T0.AddDays(60), T0),
            new("early", 100, T0.AddDays(30), T0.AddDays(1)),
        ];

        var parts = LedgerRules.SplitHold(260, 10, boosts);

        Assert.Equal([new CreditPart("monthly", 10), new CreditPart("early", 100), new CreditPart("late", 100), new CreditPart("forever", 50)], parts);
    }

    [Fact]
    public void SplitHold_WhenBucketsAreShort_Throws()
        => Assert.Throws<InvalidOperationException>(() => LedgerRules.SplitHold(5, 2, []));

    [Fact]
    public void SplitCharge_ChargesHeldPartsInOrder()
    {
        var parts = LedgerRules.SplitCharge([new CreditPart("monthly", 3), new CreditPart("b1", 5)], 4);

        Assert.Equal([new CreditPart("monthly", 3), new CreditPart("b1", 1)], parts);
        Assert.Empty(LedgerRules.SplitCharge([new CreditPart("monthly", 3)], 0));
    }

    [Theory]
    [InlineData(3_000, 10_000, true)]
    [InlineData(10_000, 3_000, false)]
    [InlineData(3_000, 0, false)]
    [InlineData(0, 3_000, true)]
    public void PlanChange_UpgradesNow_DowngradesAtTheNextPeriod(long current, long next, bool immediately)
        => Assert.Equal(immediately, LedgerRules.AppliesImmediately(current, next));

    [Fact]
    public void ThresholdsReached_UsesExactIntegerPercentages()
    {
        Assert.Null(LedgerRules.ThresholdsReached(2_249, 3_000, [], [75, 90, 100]));
        Assert.Equal([75], LedgerRules.ThresholdsReached(2_250, 3_000, [], [75, 90, 100]));
        Assert.Equal([90, 100], LedgerRules.ThresholdsReached(3_000, 3_000, [75], [75, 90, 100]));
        Assert.Null(LedgerRules.ThresholdsReached(3_000, 3_000, [75, 90, 100], [75, 90, 100]));
        Assert.Null(LedgerRules.ThresholdsReached(5, 0, [], [75]));
    }

    [Fact]
    public void CheckAccess_OrdersReasons_PlanThenAutomationThenCredits()
    {
        var end = T0.AddMonths(1);
        Assert.Equal(CreditDenialReason.PlanExcludesAi, LedgerRules.CheckAccess(AiFeature.AutomatedResponse, 2, false, false, 0, end, false, [])!.Reason);
        Assert.Equal(CreditDenialReason.AutomationNotActivated, LedgerRules.CheckAccess(AiFeature.AutomatedResponse, 2, true, false, 0, end, true, [])!.Reason);

        var exhausted = LedgerRules.CheckAccess(AiFeature.AutomatedResponse, 2, true, true, 1, end, true, [1_000])!;
        Assert.Equal(CreditDenialReason.CreditsExhausted, exhausted.Reason);
        Assert.Equal(end, exhausted.ResumesAt);

        // A downgrade to a plan without AI means the refresh does not resume anything.
        Assert.Null(LedgerRules.CheckAccess(AiFeature.ReplySuggestion, 2, true, true, 1, end, false, [])!.ResumesAt);
        Assert.Null(LedgerRules.CheckAccess(AiFeature.ReplySuggestion, 1, true, true, 1, end, true, []));
    }

    [Fact]
    public void PauseReason_IsSetWhileTheCheapestFeatureCannotRun()
    {
        Assert.Null(LedgerRules.PauseReason(true, 1, 1));
        Assert.Equal(CreditDenialReason.CreditsExhausted, LedgerRules.PauseReason(true, 0, 1));
        Assert.Equal(CreditDenialReason.PlanExcludesAi, LedgerRules.PauseReason(false, 100, 1));
    }
}
