namespace Versana.Sdk.Tests.Guard;

public sealed class CreditGuardTests
{
    private static ValueTask<string> Ok(CreditGuardContext context, CancellationToken cancellationToken) => new("done");

    [Fact]
    public async Task Success_CommitsTheFeaturesCost()
    {
        await using var h = await GuardHarness.CreateAsync();

        var value = await h.Guard.ExecuteAsync(AiFeature.AutomatedResponse, Ok);

        Assert.Equal("done", value);
        var balance = await h.Ledger.GetBalanceAsync("acme");
        Assert.Equal(2, balance.Used);
        Assert.Equal(0, balance.Held);
        Assert.Equal((1, 1, 0), (h.Counting.Reserves, h.Counting.Commits, h.Counting.Releases));
    }

    [Fact]
    public async Task Exception_ReleasesTheCredits_AndPropagates()
    {
        await using var h = await GuardHarness.CreateAsync();

        await Assert.ThrowsAsync<TimeoutException>(() => h.Guard.ExecuteAsync<string>(AiFeature.ConversationSummary, (_, _) => throw new TimeoutException("model timed out")).AsTask());

        var balance = await h.Ledger.GetBalanceAsync("acme");
        Assert.Equal((0L, 0L, 3_000L), (balance.Used, balance.Held, balance.Available));
        Assert.Equal(1, h.Counting.Releases);
    }

    [Fact]
    public async Task Cancellation_ReleasesTheCredits()
    {
        await using var h = await GuardHarness.CreateAsync();
        using var cts = new CancellationTokenSource();

        var call = h.Guard.ExecuteAsync(AiFeature.ConversationSummary, async (_, ct) =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return "never";
        }, cancellationToken: cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.AsTask());
        Assert.Equal(0, (await h.Ledger.GetBalanceAsync("acme")).Used);
        Assert.Equal(1, h.Counting.Releases);
    }

    [Fact]
    public async Task PlanWithoutAi_ThrowsAiPaused_WithPlanExcludesAi()
    {
        await using var h = await GuardHarness.CreateAsync(plan: "Solo");
        var ran = false;

        var ex = await Assert.ThrowsAsync<AiPausedException>(() => h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, (_, _) => { ran = true; return new ValueTask<int>(1); }).AsTask());

        Assert.False(ran);
        Assert.Equal(CreditDenialReason.PlanExcludesAi, ex.Reason);
        Assert.Null(ex.ResumesAt);
        Assert.Equal("Solo", ex.Balance!.Plan);
    }

    [Fact]
    public async Task AutomationOff_ThrowsAiPaused_WithAutomationNotActivated()
    {
        await using var h = await GuardHarness.CreateAsync(automation: false);

        var ex = await Assert.ThrowsAsync<AiPausedException>(() => h.Guard.ExecuteAsync(AiFeature.AutomatedResponse, Ok).AsTask());

        Assert.Equal(CreditDenialReason.AutomationNotActivated, ex.Reason);
        Assert.Equal("done", await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok));
    }

    [Fact]
    public async Task ExhaustedPool_ThrowsAiPaused_WithResumesAtBalanceAndBoostOffer()
    {
        await using var h = await GuardHarness.CreateAsync();
        await h.SpendAsync(3_000);

        var ex = await Assert.ThrowsAsync<AiPausedException>(() => h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok).AsTask());

        Assert.Equal(CreditDenialReason.CreditsExhausted, ex.Reason);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), ex.ResumesAt);
        Assert.Equal([1_000L, 5_000L, 20_000L], ex.BoostPackSizes);
        Assert.True(ex.Balance!.Paused);
        Assert.Equal(0, ex.Balance.Available);
    }

    [Fact]
    public async Task TryExecute_ReturnsTheDenial_WithoutRunningTheAction()
    {
        await using var h = await GuardHarness.CreateAsync();
        await h.SpendAsync(3_000);
        var ran = false;

        var result = await h.Guard.TryExecuteAsync(AiFeature.ReplySuggestion, (_, _) => { ran = true; return new ValueTask<int>(1); });

        Assert.False(result.Succeeded);
        Assert.False(ran);
        Assert.Equal(CreditDenialReason.CreditsExhausted, result.Denial.Reason);
        var ok = await (await GuardHarness.CreateAsync()).Guard.TryExecuteAsync(AiFeature.ReplySuggestion, Ok);
        Assert.True(ok.Succeeded);
        Assert.Equal("done", ok.Value);
    }

    [Fact]
    public async Task NestedGuard_ForTheSameFeature_ReusesTheReservation()
    {
        await using var h = await GuardHarness.CreateAsync();

        var value = await h.Guard.ExecuteAsync(AiFeature.ConversationSummary, async (outer, ct) =>
        {
            var inner = await h.Guard.ExecuteAsync(AiFeature.ConversationSummary, (ctx, _) => new ValueTask<string>(ctx.Reservation.Id), cancellationToken: ct);
            Assert.Equal(outer.Reservation.Id, inner);
            return inner;
        });

        Assert.NotNull(value);
        Assert.Equal(1, h.Counting.Reserves);
        Assert.Equal(1, (await h.Ledger.GetBalanceAsync("acme")).Used);
    }

    [Fact]
    public async Task NestedGuard_ForAnotherFeature_IsChargedSeparately()
    {
        await using var h = await GuardHarness.CreateAsync();

        await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, async (_, ct) => await h.Guard.ExecuteAsync(AiFeature.Classification, Ok, cancellationToken: ct));

        Assert.Equal(2, h.Counting.Reserves);
        Assert.Equal(2, (await h.Ledger.GetBalanceAsync("acme")).Used);
    }

    [Fact]
    public async Task MeteredCost_ChargesWhatTheActionReports_AndReturnsTheRest()
    {
        await using var h = await GuardHarness.CreateAsync();

        await h.Guard.ExecuteAsync(AiFeature.ConversationSummary, (ctx, _) =>
        {
            ctx.ReportActualCost(3);
            return new ValueTask<int>(0);
        }, new AiCallOptions { Credits = 10 });

        var balance = await h.Ledger.GetBalanceAsync("acme");
        Assert.Equal(3, balance.Used);
        Assert.Equal(0, balance.Held);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    [InlineData(4_000_000_000L)]
    public async Task TokensAndActualCost_ReadBackAsSet_AndTheUsageEntryRecordsTheTokens(long? tokens)
    {
        await using var h = await GuardHarness.CreateAsync();

        await h.Guard.ExecuteAsync(AiFeature.ConversationSummary, (ctx, _) =>
        {
            // Nothing reported yet; a value set and then cleared reads back as none.
            Assert.Null(ctx.ActualCredits);
            Assert.Null(ctx.TokensUsed);
            ctx.TokensUsed = 99;
            ctx.TokensUsed = null;
            Assert.Null(ctx.TokensUsed);
            ctx.TokensUsed = tokens;
            ctx.ReportActualCost(0);
            Assert.Equal(0, ctx.ActualCredits);
            Assert.Equal(tokens, ctx.TokensUsed);
            return new ValueTask<int>(0);
        }, new AiCallOptions { Credits = 10 });

        var commit = Assert.Single(await h.Ledger.GetEntriesAsync("acme", 0, 1000), e => e.Kind == LedgerEntryKind.Committed);
        Assert.Equal(0, commit.Credits);
        Assert.Equal(tokens, commit.Tokens);
    }

    public static TheoryData<string> BadOptions => new()
    {
        "credits 0",
        "credits beyond the ledger's maximum",
        "a negative ttl",
        "a key with a space",
        "an actor with a control character",
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task BadCallOptions_AreRefusedWithAClearError_TheActionNeverRuns_AndTheLedgerIsUnchanged(string bad)
    {
        await using var h = await GuardHarness.CreateAsync();
        var options = bad switch
        {
            "credits 0" => new AiCallOptions { Credits = 0 },
            "credits beyond the ledger's maximum" => new AiCallOptions { Credits = long.MaxValue },
            "a negative ttl" => new AiCallOptions { Ttl = TimeSpan.FromSeconds(-1) },
            "a key with a space" => new AiCallOptions { IdempotencyKey = "user action" },
            _ => new AiCallOptions { Actor = "agent\u0007" },
        };
        var before = await h.Ledger.GetBalanceAsync("acme");
        var entries = (await h.Ledger.GetEntriesAsync("acme", limit: 1_000)).Count;
        var ran = false;

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, (_, _) =>
        {
            ran = true;
            return new ValueTask<int>(0);
        }, options).AsTask());

        Assert.Equal(bad.StartsWith("an actor", StringComparison.Ordinal) ? "actor" : "request", error.ParamName);
        Assert.False(ran);
        Assert.Equal(entries, (await h.Ledger.GetEntriesAsync("acme", limit: 1_000)).Count);
        Assert.Equal(before with { AsOf = default }, (await h.Ledger.GetBalanceAsync("acme")) with { AsOf = default });
    }

    [Fact]
    public async Task MeteredCost_AboveTheReservation_IsRefused_AndReleased()
    {
        await using var h = await GuardHarness.CreateAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => h.Guard.ExecuteAsync(AiFeature.ConversationSummary, (ctx, _) =>
        {
            ctx.ReportActualCost(11);
            return new ValueTask<int>(0);
        }, new AiCallOptions { Credits = 10 }).AsTask());

        Assert.Equal(0, (await h.Ledger.GetBalanceAsync("acme")).Used);
    }

    [Fact]
    public async Task RetriedUserAction_WithItsIdempotencyKey_IsChargedOnce()
    {
        await using var h = await GuardHarness.CreateAsync();
        var options = new AiCallOptions { IdempotencyKey = "user-action-42" };
        var runs = 0;

        await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, (_, _) => new ValueTask<int>(++runs), options);
        await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, (_, _) => new ValueTask<int>(++runs), options);

        Assert.Equal(2, runs);
        Assert.Equal(1, (await h.Ledger.GetBalanceAsync("acme")).Used);
        Assert.Equal(1, h.Counting.Commits);
    }

    [Fact]
    public async Task RetryAfterAFailedAttempt_WithTheSameKey_IsChargedOnceForTheSuccess()
    {
        await using var h = await GuardHarness.CreateAsync();
        var options = new AiCallOptions { IdempotencyKey = "user-action-43" };

        await Assert.ThrowsAsync<IOException>(() => h.Guard.ExecuteAsync<int>(AiFeature.ReplySuggestion, (_, _) => throw new IOException("flaky"), options).AsTask());
        Assert.Equal(0, (await h.Ledger.GetBalanceAsync("acme")).Used);
        await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, (_, _) => new ValueTask<int>(1), options);
        await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, (_, _) => new ValueTask<int>(1), options);

        var balance = await h.Ledger.GetBalanceAsync("acme");
        Assert.Equal(1, balance.Used);
        Assert.Equal(0, balance.Held);
    }

    [Fact]
    public async Task AUserActionThatFailedAtEveryAttempt_IsRefusedAfterTheLastOne_WithoutAnotherCharge()
    {
        await using var h = await GuardHarness.CreateAsync();
        var options = new AiCallOptions { IdempotencyKey = "user-action-44" };
        for (var i = 0; i <= 16; i++)
        {
            await Assert.ThrowsAsync<IOException>(() => h.Guard.ExecuteAsync<int>(AiFeature.ReplySuggestion, (_, _) => throw new IOException("flaky"), options).AsTask());
        }

        var reserves = h.Counting.Reserves;
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok, options).AsTask());

        Assert.Contains("failed 16 times", ex.Message);
        Assert.Equal(reserves + 17, h.Counting.Reserves);
        var balance = await h.Ledger.GetBalanceAsync("acme");
        Assert.Equal((0, 0), (balance.Used, balance.Held));
    }

    [Fact]
    public async Task NoWorkspace_IsAClearError()
    {
        await using var h = await GuardHarness.CreateAsync(configure: o => o.WorkspaceId = null);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok).AsTask());

        Assert.Contains("VersanaOptions.WorkspaceId", ex.Message);
    }
}
