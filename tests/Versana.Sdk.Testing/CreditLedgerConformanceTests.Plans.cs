using Xunit;

namespace Versana.Sdk.Testing;

public abstract partial class CreditLedgerConformanceTests
{
    [Theory]
    [InlineData("Starter", 3_000)]
    [InlineData("Growth", 10_000)]
    [InlineData("Scale", 30_000)]
    public async Task CreateWorkspace_GrantsThePlansMonthlyAllocation(string plan, long credits)
    {
        var ledger = await WithWorkspace(await NewLedgerAsync(), plan);

        var balance = await ledger.GetBalanceAsync("acme");

        Assert.Equal(plan, balance.Plan);
        Assert.Equal(credits, balance.Allocation);
        Assert.Equal(credits, balance.Available);
        Assert.Equal(0, balance.Used);
        Assert.False(balance.Paused);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), balance.PeriodStart);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), balance.PeriodEnd);
    }

    [Fact]
    public async Task Solo_DeniesEveryFeatureWithPlanExcludesAi_AndRecordsNothing()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync(), "Solo");
        var before = await Observe(ledger, "acme");

        foreach (var feature in AiFeature.BuiltIn)
        {
            var result = await ledger.ReserveAsync("acme", Request(feature));
            Assert.False(result.IsGranted);
            Assert.Equal(CreditDenialReason.PlanExcludesAi, result.Denial.Reason);
            Assert.Contains("Upgrade", result.Denial.Message);
            Assert.Null(result.Denial.ResumesAt);
        }

        Assert.Equal(before, await Observe(ledger, "acme"));
        var balance = await ledger.GetBalanceAsync("acme");
        Assert.Equal(0, balance.Used);
        Assert.True(balance.Paused);
        Assert.Equal(CreditDenialReason.PlanExcludesAi, balance.PauseReason);
    }

    [Fact]
    public async Task ARetriedPlanOrSettingsChange_ChangesNothingMore_AndAddsNoEntry()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync(), "Growth");
        var scheduled = await ledger.ChangePlanAsync("acme", "Starter");
        var costs = new Dictionary<AiFeature, long> { [AiFeature.ReplySuggestion] = 3 };
        await ledger.UpdateSettingsAsync("acme", new WorkspaceSettingsUpdate { Costs = costs, AutomationEnabled = true });
        var before = await Observe(ledger, "acme");

        // The same calls again, as a client sends them when their replies were lost on the way.
        var again = await ledger.ChangePlanAsync("acme", "Starter");
        await ledger.UpdateSettingsAsync("acme", new WorkspaceSettingsUpdate { Costs = new Dictionary<AiFeature, long>(costs), AutomationEnabled = true });

        Assert.Equal((scheduled.Plan, scheduled.PendingPlan, scheduled.EffectiveAt), (again.Plan, again.PendingPlan, again.EffectiveAt));
        Assert.Equal(before, await Observe(ledger, "acme"));
    }

    [Fact]
    public async Task Solo_CannotBuyBoostPacks()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync(), "Solo");
        var before = await Observe(ledger, "acme");

        var ex = await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "k1")).AsTask());

        Assert.Equal(CreditLedgerError.PlanExcludesAi, ex.Error);
        Assert.Equal(before, await Observe(ledger, "acme"));
    }

    [Fact]
    public async Task CustomPlanCatalog_IsUsed()
    {
        var ledger = await NewLedgerAsync(o => o.Plans.Add(new CreditPlan("Enterprise", 999m, 100_000)));
        await WithWorkspace(ledger, "Enterprise");

        Assert.Equal(100_000, (await ledger.GetBalanceAsync("acme")).Allocation);
    }

    [Fact]
    public async Task AutomationOff_DeniesAutomatedResponsesOnly()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync(), automation: false);
        var before = await Observe(ledger, "acme");

        var denied = await ledger.ReserveAsync("acme", Request(AiFeature.AutomatedResponse));

        Assert.False(denied.IsGranted);
        Assert.Equal(CreditDenialReason.AutomationNotActivated, denied.Denial.Reason);
        Assert.Equal(before, await Observe(ledger, "acme"));
        foreach (var feature in new[] { AiFeature.ReplySuggestion, AiFeature.ConversationSummary, AiFeature.Classification })
        {
            await Spend(ledger, "acme", feature);
        }

        Assert.Equal(3, (await ledger.GetBalanceAsync("acme")).Used);
    }

    [Fact]
    public async Task ActivatingAutomation_AllowsAutomatedResponses()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync(), automation: false);

        await ledger.UpdateSettingsAsync("acme", new WorkspaceSettingsUpdate { AutomationEnabled = true });
        var commit = await Spend(ledger, "acme", AiFeature.AutomatedResponse);

        Assert.Equal(2, commit.Charged);
        await AssertConsistent(ledger, "acme");
    }

    [Theory]
    [InlineData("ReplySuggestion", 1)]
    [InlineData("ConversationSummary", 1)]
    [InlineData("Classification", 1)]
    [InlineData("AutomatedResponse", 2)]
    public async Task DefaultCosts_ArePerFeature(string feature, long cost)
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        Assert.True(AiFeature.TryParse(feature, out var f));

        var commit = await Spend(ledger, "acme", f);

        Assert.Equal(cost, commit.Charged);
        Assert.Equal(3_000 - cost, commit.Balance.Available);
    }

    [Fact]
    public async Task CustomFeature_WithConfiguredCost_IsCharged()
    {
        var translation = new AiFeature("Translation");
        var ledger = await WithWorkspace(await NewLedgerAsync(o => o.Costs[translation] = 3));

        var commit = await Spend(ledger, "acme", translation);

        Assert.Equal(3, commit.Charged);
    }

    [Fact]
    public async Task WorkspaceCostOverride_ReplacesTheDefault()
    {
        var ledger = await NewLedgerAsync();
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter")
        {
            Costs = new Dictionary<AiFeature, long> { [AiFeature.ConversationSummary] = 4 },
        });

        var commit = await Spend(ledger, "acme", AiFeature.ConversationSummary);

        Assert.Equal(4, commit.Charged);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task PoolIsShared_AcrossActors_AndActorIsRecordedForReporting()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());

        var a = await ledger.ReserveAsync("acme", Request(AiFeature.ReplySuggestion, actor: "agent-1"));
        var b = await ledger.ReserveAsync("acme", Request(AiFeature.ReplySuggestion, actor: "agent-2"));
        await ledger.CommitAsync("acme", a.Reservation!.Id);
        await ledger.CommitAsync("acme", b.Reservation!.Id);

        Assert.Equal(2, (await ledger.GetBalanceAsync("acme")).Used);
        var entries = await ledger.GetEntriesAsync("acme");
        Assert.Equal(["agent-1", "agent-2"], entries.Where(e => e.Kind == LedgerEntryKind.Committed).Select(e => e.Actor));
    }

    [Fact]
    public async Task Workspaces_AreIsolated()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync(), id: "a");
        await WithWorkspace(ledger, id: "b");
        var reservation = await ledger.ReserveAsync("a", Request(AiFeature.ReplySuggestion));

        await Spend(ledger, "a", AiFeature.ConversationSummary);

        Assert.Equal(3_000, (await ledger.GetBalanceAsync("b")).Available);
        var ex = await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.CommitAsync("b", reservation.Reservation!.Id).AsTask());
        Assert.Equal(CreditLedgerError.ReservationNotFound, ex.Error);
    }

    [Fact]
    public async Task Upgrade_AppliesAtOnce_AndUsedStillCounts()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 500);

        var change = await ledger.ChangePlanAsync("acme", "Growth");

        Assert.Equal("Growth", change.Plan);
        Assert.Equal(Clock.GetUtcNow(), change.EffectiveAt);
        Assert.Equal(10_000, change.Balance.Allocation);
        Assert.Equal(500, change.Balance.Used);
        Assert.Equal(9_500, change.Balance.Available);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task Upgrade_LiftsAPause()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync(), "Solo");

        await ledger.ChangePlanAsync("acme", "Starter");
        var result = await ledger.ReserveAsync("acme", Request(AiFeature.ReplySuggestion));

        Assert.True(result.IsGranted);
    }

    [Fact]
    public async Task Downgrade_AppliesAtTheNextPeriod()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync(), "Growth");

        var change = await ledger.ChangePlanAsync("acme", "Starter");

        Assert.Equal("Growth", change.Plan);
        Assert.Equal("Starter", change.PendingPlan);
        Assert.Equal(change.Balance.PeriodEnd, change.EffectiveAt);
        Assert.Equal(10_000, change.Balance.Allocation);

        Clock.SetUtcNow(change.EffectiveAt);
        var next = await ledger.GetBalanceAsync("acme");
        Assert.Equal("Starter", next.Plan);
        Assert.Null(next.PendingPlan);
        Assert.Equal(3_000, next.Allocation);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task KeepingTheCurrentPlan_CancelsAScheduledDowngrade()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync(), "Growth");
        await ledger.ChangePlanAsync("acme", "Starter");

        await ledger.ChangePlanAsync("acme", "Growth");

        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal("Growth", (await ledger.GetBalanceAsync("acme")).Plan);
    }
}
