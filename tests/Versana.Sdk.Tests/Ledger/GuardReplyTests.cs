using Microsoft.Extensions.Time.Testing;

namespace Versana.Sdk.Tests.Ledger;

public sealed class GuardReplyTests
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(13));

    [Fact]
    public async Task The_guards_replies_carry_the_balance_the_ledger_reports_through_plan_settings_and_period_changes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 2, 27, 9, 0, 0, TimeSpan.Zero));
        await using var ledger = CreditLedger.CreateInMemory(timeProvider: clock);
        IGuardLedger replies = ledger;
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("ws", "Starter") { TimeZoneId = "Pacific/Auckland" });
        var key = 0;

        // Each step also says what the balance must be now, not only that the two paths agree.
        async Task<CreditBalance> AssertSameAsLedgerAsync(string plan, string? pendingPlan, long allocation, bool automation, DateTimeOffset periodStart)
        {
            var reserved = await replies.ReserveReplyAsync("ws", ReservationRequestValue.From(new ReservationRequest(AiFeature.ReplySuggestion, $"k{key++}")), default);
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
        var refused = await replies.ReserveReplyAsync("ws", ReservationRequestValue.From(new ReservationRequest(AiFeature.ReplySuggestion, "refused")), default);
        Assert.False(refused.IsGranted);
        Assert.Equal(await ledger.GetBalanceAsync("ws"), refused.Balance.ToBalance());
        Assert.NotNull(refused.Balance.ToBalance().ResumesAt);
    }

    [Fact]
    public async Task A_price_change_that_pauses_the_workspace_shows_in_the_next_replys_balance()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 2, 27, 9, 0, 0, TimeSpan.Zero));
        await using var ledger = CreditLedger.CreateInMemory(timeProvider: clock);
        IGuardLedger replies = ledger;
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("ws", "Starter"));

        var granted = await replies.ReserveReplyAsync("ws", ReservationRequestValue.From(new ReservationRequest(AiFeature.ReplySuggestion, "before")), default);
        Assert.True(granted.IsGranted);
        Assert.False(granted.Balance.Paused);

        // Every feature now costs more than the pool holds: the same plan and period, another cheapest price.
        await ledger.UpdateSettingsAsync("ws", new WorkspaceSettingsUpdate
        {
            Costs = new Dictionary<AiFeature, long>
            {
                [AiFeature.ReplySuggestion] = 5_000,
                [AiFeature.ConversationSummary] = 5_000,
                [AiFeature.AutomatedResponse] = 5_000,
                [AiFeature.Classification] = 5_000,
            },
        });
        var refused = await replies.ReserveReplyAsync("ws", ReservationRequestValue.From(new ReservationRequest(AiFeature.ReplySuggestion, "after")), default);

        Assert.False(refused.IsGranted);
        Assert.Equal(CreditDenialReason.CreditsExhausted, refused.Balance.PauseReason);
        var balance = refused.Balance.ToBalance();
        Assert.Equal(await ledger.GetBalanceAsync("ws"), balance);
        Assert.True(balance.Paused);
        Assert.Equal(2_999, balance.Available);
        Assert.Same(balance, refused.Balance.ToBalance());
    }

    [Theory]
    [InlineData("Solo", CreditDenialReason.PlanExcludesAi)]
    [InlineData("Starter", CreditDenialReason.CreditsExhausted)]
    [InlineData("Starter", null)]
    public async Task A_replys_snapshot_reads_the_same_before_and_after_its_balance_is_built(string plan, CreditDenialReason? pause)
    {
        await using var ledger = CreditLedger.CreateInMemory(timeProvider: new FakeTimeProvider(s_start));
        IGuardLedger replies = ledger;
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("ws", plan) { AutomationEnabled = true });
        if (pause == CreditDenialReason.CreditsExhausted)
        {
            await replies.ReserveReplyAsync("ws", ReservationRequestValue.From(new ReservationRequest(AiFeature.ReplySuggestion, "all") { Credits = 3_000 }), default);
        }

        var snapshot = (await replies.ReserveReplyAsync("ws", ReservationRequestValue.From(new ReservationRequest(AiFeature.ReplySuggestion, "next")), default)).Balance;
        var before = (snapshot.WorkspaceId, snapshot.Available, snapshot.PauseReason, snapshot.Paused, snapshot.AutomationEnabled, snapshot.AsOf);

        var balance = snapshot.ToBalance();

        Assert.Equal(("ws", pause, pause is not null, true), (before.WorkspaceId, before.PauseReason, before.Paused, before.AutomationEnabled));
        Assert.Equal(before, (snapshot.WorkspaceId, snapshot.Available, snapshot.PauseReason, snapshot.Paused, snapshot.AutomationEnabled, snapshot.AsOf));
        Assert.Equal((balance.WorkspaceId, balance.Available, balance.PauseReason, balance.Paused, balance.AutomationEnabled, balance.AsOf), before);
        Assert.Equal(await ledger.GetBalanceAsync("ws"), balance);
        Assert.Same(balance, snapshot.ToBalance());

        // A balance made elsewhere (a remote ledger's reply) is given back as it is.
        var remote = BalanceSnapshot.Of(balance with { PauseReason = (CreditDenialReason)300, Paused = true });
        Assert.Equal((CreditDenialReason)300, remote.PauseReason);
        Assert.True(remote.Paused);
        Assert.Same(remote.ToBalance(), remote.ToBalance());
    }
}
