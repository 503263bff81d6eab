using Versana.Sdk.Rules;

namespace Versana.Sdk.Tests.Rules;

public sealed class CreditRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly CreditPolicy s_policy = new(new CreditLedgerOptions());

    [Fact]
    public void SplitHold_TakesMonthlyFirst_ThenBoostsByEarliestExpiry_NeverExpiringLast()
    {
        var account = Account(allocation: 10) with
        {
            Boosts =
            [
                new BoostPack("forever", "k1", 100, 100, 0, T0, null, false),
                new BoostPack("late", "k2", 100, 100, 0, T0, T0.AddDays(60), false),
                new BoostPack("early", "k3", 100, 100, 0, T0.AddDays(1), T0.AddDays(30), false),
            ],
        };

        Assert.Equal(
            [new CreditPart("monthly", 10), new CreditPart("early", 100), new CreditPart("late", 100), new CreditPart("forever", 50)],
            CreditRules.SplitHold(account, 260));
    }

    [Fact]
    public void SplitHold_WhenBucketsAreShort_Throws()
        => Assert.Throws<InvalidOperationException>(() => CreditRules.SplitHold(Account(allocation: 2), 5));

    [Fact]
    public void SplitCharge_ChargesHeldPartsInOrder_AndReturnsTheRest()
    {
        var (charged, returned) = CreditRules.SplitCharge([new CreditPart("monthly", 3), new CreditPart("b1", 5)], 4);

        Assert.Equal([new CreditPart("monthly", 3), new CreditPart("b1", 1)], charged);
        Assert.Equal([new CreditPart("b1", 4)], returned);
        Assert.Empty(CreditRules.SplitCharge([new CreditPart("monthly", 3)], 0).Charged);
    }

    [Fact]
    public void CheckAccess_OrdersReasons_PlanThenAutomationThenCredits_AndNamesWhatWasAsked()
    {
        Assert.Equal(CreditDenialReason.PlanExcludesAi, CreditRules.CheckAccess(Account(plan: "Solo"), AiFeature.AutomatedResponse, 2, s_policy)!.Reason);
        Assert.Equal(CreditDenialReason.AutomationNotActivated, CreditRules.CheckAccess(Account(allocation: 0), AiFeature.AutomatedResponse, 2, s_policy)!.Reason);

        var exhausted = CreditRules.CheckAccess(Account(allocation: 1, automation: true), AiFeature.AutomatedResponse, 2, s_policy)!;
        Assert.Equal((CreditDenialReason.CreditsExhausted, 2L, 1L), (exhausted.Reason, exhausted.Requested, exhausted.Available));
        Assert.Equal(T0.AddDays(20), exhausted.ResumesAt);
        Assert.Contains("AutomatedResponse needs 2 credits and 1 is available", exhausted.Message, StringComparison.Ordinal);

        var one = CreditRules.CheckAccess(Account(allocation: 0), AiFeature.ReplySuggestion, 1, s_policy)!;
        Assert.Contains("ReplySuggestion needs 1 credit and 0 are available", one.Message, StringComparison.Ordinal);

        // A downgrade to a plan without AI means the refresh does not resume anything.
        Assert.Null(CreditRules.CheckAccess(Account(allocation: 1) with { PendingPlan = "Solo" }, AiFeature.ReplySuggestion, 2, s_policy)!.ResumesAt);
        Assert.Null(CreditRules.CheckAccess(Account(allocation: 1), AiFeature.ReplySuggestion, 1, s_policy));
    }

    [Fact]
    public void PauseReason_IsSetWhileTheCheapestEnabledFeatureCannotRun()
    {
        Assert.Null(CreditRules.PauseReason(Account(allocation: 1), s_policy));
        Assert.Equal(CreditDenialReason.CreditsExhausted, CreditRules.PauseReason(Account(allocation: 0), s_policy));
        Assert.Equal(CreditDenialReason.PlanExcludesAi, CreditRules.PauseReason(Account(plan: "Solo", allocation: 100), s_policy));

        // The workspace's own prices count: with every feature at 5, 4 credits left is a pause.
        var dear = Account(allocation: 4) with { Costs = System.Collections.Immutable.ImmutableDictionary.CreateRange(StringComparer.OrdinalIgnoreCase, new Dictionary<string, long> { ["ReplySuggestion"] = 5, ["ConversationSummary"] = 5, ["Classification"] = 5 }) };
        Assert.Equal(CreditDenialReason.CreditsExhausted, CreditRules.PauseReason(dear, s_policy));
    }

    [Fact]
    public void Thresholds_AreRaisedOncePerPeriod_InExactIntegerPercentages()
    {
        var log = new DecisionLog(Account(allocation: 3_000) with { Used = 2_248 });
        var held = Reserve(log, "a", 1);
        CreditRules.Commit(log, held, held.Id, null, null, T0, s_policy);
        Assert.DoesNotContain(log.Entries, e => e.Kind == LedgerEntryKind.ThresholdCrossed);

        held = Reserve(log, "b", 751);
        CreditRules.Commit(log, held, held.Id, null, null, T0, s_policy);
        Assert.Equal([75, 90, 100], log.Entries.Where(e => e.Kind == LedgerEntryKind.ThresholdCrossed).Select(e => e.Percent!.Value));
        Assert.Equal([75, 90, 100], log.State!.ThresholdsCrossed);
    }

    [Fact]
    public void ADecisionsEntries_ReplayedFromNothing_GiveTheSameAccount()
    {
        var log = new DecisionLog(null);
        CreditRules.Create(log, "acme", CreditPlan.Starter, "Europe/Paris", false, null, T0, s_policy);
        CreditRules.PurchaseBoost(log, new BoostPackRequest(1_000, "boost-1"), "bst_1", T0, s_policy);
        var big = Reserve(log, "big", 3_500);
        CreditRules.Commit(log, big, big.Id, 3_200, 1_000, T0, s_policy);
        var released = Reserve(log, "released", 10);
        CreditRules.Release(log, released, released.Id, T0, s_policy);
        var open = Reserve(log, "open", 7);
        CreditRules.ChangePlan(log, CreditPlan.Growth, T0, s_policy);

        var replayed = log.Entries.Aggregate((AccountState?)null, CreditRules.Apply)!;
        Assert.Empty(log.State!.DifferencesFrom(replayed));
        Assert.Equal((10_000L, 3_000L, 7L, 800L), (replayed.Allocation, replayed.Used, replayed.HeldMonthly + replayed.HeldBoost, replayed.BoostRemaining));
        Assert.Equal(ReservationStatus.Held, open.Status);
    }

    [Fact]
    public void Refresh_ExpiresDueHolds_LapsesPacks_AndStartsTheNewPeriodWithThePendingPlan()
    {
        var log = new DecisionLog(null);
        CreditRules.Create(log, "acme", CreditPlan.Growth, "UTC", false, null, T0, s_policy);
        var held = Reserve(log, "held", 5);
        CreditRules.ChangePlan(log, CreditPlan.Starter, T0, s_policy);

        var later = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        CreditRules.Refresh(log, [held], later, s_policy);

        Assert.Equal(ReservationStatus.Expired, CreditRules.Current(held, log.Entries)!.Status);
        Assert.Equal(("Starter", 3_000L, 0L, later), (log.State!.Plan, log.State.Allocation, log.State.HeldMonthly, log.State.PeriodStart));
    }

    [Fact]
    public void ARetriedKey_GetsTheFirstReservation_AndAnotherRequestUnderItIsRefused()
    {
        var log = new DecisionLog(Account(allocation: 100));
        var first = Reserve(log, "k", 3);
        var count = log.Entries.Count;

        var again = CreditRules.Reserve(log, first, new ReservationRequest(AiFeature.ConversationSummary, "k") { Credits = 3 }, first.Id, T0, s_policy);
        Assert.Equal(first.Id, again.Reservation!.Id);
        Assert.Equal(count, log.Entries.Count);
        var reused = Assert.Throws<CreditLedgerException>(() => CreditRules.Reserve(log, first, new ReservationRequest(AiFeature.ConversationSummary, "k") { Credits = 4 }, first.Id, T0, s_policy));
        Assert.Equal(CreditLedgerError.IdempotencyKeyReused, reused.Error);
    }

    private static ReservationState Reserve(DecisionLog log, string key, long credits)
    {
        var id = Versana.Sdk.Ledger.Storage.ReservationIds.FromKey(key);
        var result = CreditRules.Reserve(log, null, new ReservationRequest(AiFeature.ConversationSummary, key) { Credits = credits }, id, T0, s_policy);
        Assert.True(result.IsGranted, result.Denial?.Message);
        return CreditRules.ApplyToReservation(null, log.Entries[^1])!;
    }

    private static AccountState Account(string plan = "Starter", long allocation = 3_000, bool automation = false) => new()
    {
        Id = "acme",
        Plan = plan,
        TimeZoneId = "UTC",
        AutomationEnabled = automation,
        CreatedAt = T0,
        PeriodStart = T0.AddDays(-10),
        PeriodEnd = T0.AddDays(20),
        Allocation = allocation,
        LastSequence = 2,
    };
}
