using Microsoft.Extensions.Time.Testing;

namespace Versana.Sdk.Tests.Ledger;

public sealed class CreditBalanceValueTests
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(13));

    [Fact]
    public void The_value_carries_every_member_of_the_balance_both_ways()
    {
        // Every member set, none to its default: a member added to the balance and not carried fails here.
        var balance = new CreditBalance
        {
            WorkspaceId = "ws",
            Plan = "Growth",
            PendingPlan = "Starter",
            PeriodStart = s_start,
            PeriodEnd = s_start.AddMonths(1),
            Allocation = 10_000,
            Used = 9_990,
            Held = 7,
            MonthlyRemaining = 10,
            BoostRemaining = 3,
            Available = 6,
            Paused = true,
            PauseReason = CreditDenialReason.CreditsExhausted,
            ResumesAt = s_start.AddMonths(1),
            AutomationEnabled = true,
            TimeZoneId = "Pacific/Auckland",
            AsOf = s_start.AddDays(20),
        };
        var members = typeof(CreditBalance).GetProperties().Where(p => p.Name != "EqualityContract").ToList();
        Assert.All(members, p => Assert.NotEqual(p.GetValue(balance), p.PropertyType.IsValueType ? Activator.CreateInstance(p.PropertyType) : null));

        Assert.Equal(balance, CreditBalanceValue.From(balance).ToBalance());
    }

    [Fact]
    public async Task The_guards_replies_carry_the_balance_the_ledger_reports_through_plan_settings_and_period_changes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 2, 27, 9, 0, 0, TimeSpan.Zero));
        await using var ledger = CreditLedger.CreateInMemory(timeProvider: clock);
        IGuardLedger replies = ledger;
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("ws", "Starter") { TimeZoneId = "Pacific/Auckland" });
        var key = 0;

        // The terms a reply shares are the ledger's cache: each step says what they must be now, so a stale cache
        // fails here even though the ledger's own balance would share it.
        async Task<CreditBalance> AssertSameAsLedgerAsync(string plan, string? pendingPlan, long allocation, bool automation, DateTimeOffset periodStart)
        {
            var reserved = await replies.ReserveReplyAsync("ws", new ReservationRequest(AiFeature.ReplySuggestion, $"k{key++}"), default);
            Assert.Equal(await ledger.GetBalanceAsync("ws"), reserved.Balance.ToBalance());
            var committed = await replies.CommitReplyAsync("ws", reserved.Reservation.Id, null, null, default);
            var balance = committed.Balance.ToBalance();
            Assert.Equal(await ledger.GetBalanceAsync("ws"), balance);
            Assert.Equal(1, committed.Charged);
            Assert.Equal((plan, pendingPlan, allocation, automation), (balance.Plan, balance.PendingPlan, balance.Allocation, balance.AutomationEnabled));
            Assert.Equal(periodStart, balance.PeriodStart);
            Assert.Equal(allocation - balance.Used, balance.MonthlyRemaining);
            return balance;
        }

        var february = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.FromHours(13));
        await AssertSameAsLedgerAsync("Starter", null, 3_000, false, february);
        await ledger.ChangePlanAsync("ws", "Growth");
        await AssertSameAsLedgerAsync("Growth", null, 10_000, false, february);
        await ledger.ChangePlanAsync("ws", "Starter");
        await AssertSameAsLedgerAsync("Growth", "Starter", 10_000, false, february);
        await ledger.UpdateSettingsAsync("ws", new WorkspaceSettingsUpdate { AutomationEnabled = true });
        await AssertSameAsLedgerAsync("Growth", "Starter", 10_000, true, february);
        clock.Advance(TimeSpan.FromDays(3));
        var march = await AssertSameAsLedgerAsync("Starter", null, 3_000, true, s_start);
        Assert.Equal(1, march.Used);

        var left = (await ledger.GetBalanceAsync("ws")).Available;
        var spend = await ledger.ReserveAsync("ws", new ReservationRequest(AiFeature.ConversationSummary, "spend") { Credits = left });
        await ledger.CommitAsync("ws", spend.Reservation!.Id);
        var refused = await replies.ReserveReplyAsync("ws", new ReservationRequest(AiFeature.ReplySuggestion, "refused"), default);
        Assert.False(refused.IsGranted);
        Assert.Equal(await ledger.GetBalanceAsync("ws"), refused.Balance.ToBalance());
        Assert.NotNull(refused.Balance.ResumesAt);
    }
}
