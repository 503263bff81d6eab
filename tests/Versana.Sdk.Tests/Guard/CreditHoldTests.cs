namespace Versana.Sdk.Tests.Guard;

public sealed class CreditHoldTests
{
    [Fact]
    public async Task Commit_ChargesTheHold_WithItsTokens_AndTheBalanceAfterIt()
    {
        await using var h = await GuardHarness.CreateAsync();

        await using (var hold = await h.Guard.ReserveAsync(AiFeature.AutomatedResponse))
        {
            Assert.True(hold.IsGranted);
            Assert.Equal(2, hold.Balance!.Held);
            await hold.CommitAsync(tokens: 120);
            Assert.Equal((2L, 0L), (hold.Balance!.Used, hold.Balance.Held));
        }

        var balance = await h.Ledger.GetBalanceAsync("acme");
        Assert.Equal((2L, 0L), (balance.Used, balance.Held));
        Assert.Equal((1, 1, 0), (h.Counting.Reserves, h.Counting.Commits, h.Counting.Releases));
        var usage = await h.Ledger.GetUsageAsync("acme", new DateOnly(2026, 11, 15), new DateOnly(2026, 11, 15));
        Assert.Equal(120, Assert.Single(usage.ByFeature).Tokens);
    }

    [Fact]
    public async Task DisposedWithoutCommit_GivesTheCreditsBack()
    {
        await using var h = await GuardHarness.CreateAsync();

        var hold = await h.Guard.ReserveAsync(AiFeature.ConversationSummary);
        Assert.Equal(1, (await h.Ledger.GetBalanceAsync("acme")).Held);
        await hold.DisposeAsync();
        await hold.DisposeAsync();

        var balance = await h.Ledger.GetBalanceAsync("acme");
        Assert.Equal((0L, 0L, 3_000L), (balance.Used, balance.Held, balance.Available));
        Assert.Equal(1, h.Counting.Releases);
        Assert.Equal(3_000, hold.Balance!.Available);
    }

    [Fact]
    public async Task ActualCost_ChargesThatMuch_AndAboveTheHoldIsRefusedWithoutCharging()
    {
        await using var h = await GuardHarness.CreateAsync();

        await using var hold = await h.Guard.ReserveAsync(AiFeature.ConversationSummary, new AiCallOptions { Credits = 10 });
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => hold.CommitAsync(actualCredits: 11).AsTask());
        Assert.Equal(10, (await h.Ledger.GetBalanceAsync("acme")).Held);

        await hold.CommitAsync(actualCredits: 4);

        var balance = await h.Ledger.GetBalanceAsync("acme");
        Assert.Equal((4L, 0L), (balance.Used, balance.Held));
    }

    [Fact]
    public async Task SecondCommit_Throws_AndChargesOnce()
    {
        await using var h = await GuardHarness.CreateAsync();

        await using var hold = await h.Guard.ReserveAsync(AiFeature.ConversationSummary);
        await hold.CommitAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => hold.CommitAsync().AsTask());
        Assert.Equal(1, (await h.Ledger.GetBalanceAsync("acme")).Used);
        Assert.Equal(1, h.Counting.Commits);
    }

    [Fact]
    public async Task Refused_NamesTheDenial_AndHasNothingToCommit()
    {
        await using var h = await GuardHarness.CreateAsync(plan: "Solo");

        await using var hold = await h.Guard.ReserveAsync(AiFeature.ReplySuggestion);

        Assert.False(hold.IsGranted);
        Assert.Equal(CreditDenialReason.PlanExcludesAi, hold.Denial.Reason);
        await Assert.ThrowsAsync<InvalidOperationException>(() => hold.CommitAsync().AsTask());
        Assert.Throws<InvalidOperationException>(() => hold.Enter());
    }

    [Fact]
    public async Task GuardedCallsInsideAnEnteredHold_ReuseIt_AndTheHoldChargesOnce()
    {
        await using var h = await GuardHarness.CreateAsync();

        await using (var hold = await h.Guard.ReserveAsync(AiFeature.ConversationSummary))
        {
            using (hold.Enter())
            {
                await h.Guard.ExecuteAsync(AiFeature.ConversationSummary, (_, _) => new ValueTask<int>(1));
                await using var inner = await h.Guard.ReserveAsync(AiFeature.ConversationSummary);
                Assert.True(inner.IsPaidElsewhere);
                await inner.CommitAsync(tokens: 5);
            }

            await hold.CommitAsync();
        }

        Assert.Equal((1, 1, 0), (h.Counting.Reserves, h.Counting.Commits, h.Counting.Releases));
        Assert.Equal(1, (await h.Ledger.GetBalanceAsync("acme")).Used);
    }

    [Fact]
    public async Task RetriedKey_AlreadyPaid_IsGrantedWithoutAnotherCharge()
    {
        await using var h = await GuardHarness.CreateAsync();
        var options = new AiCallOptions { IdempotencyKey = "summarise-ticket-7" };
        await using (var first = await h.Guard.ReserveAsync(AiFeature.ConversationSummary, options))
        {
            await first.CommitAsync();
        }

        await using var retry = await h.Guard.ReserveAsync(AiFeature.ConversationSummary, options);
        await retry.CommitAsync();

        Assert.True(retry.IsPaidElsewhere);
        Assert.Equal(1, (await h.Ledger.GetBalanceAsync("acme")).Used);
        Assert.Equal(1, h.Counting.Commits);
    }

    [Fact]
    public async Task AnActionThatOutlivesItsHold_ReturnsItsResult_AndIsChargedAfterTheFact_Once()
    {
        await using var h = await GuardHarness.CreateAsync();

        var value = await h.Guard.ExecuteAsync(AiFeature.ConversationSummary, (_, _) =>
        {
            h.Clock.Advance(TimeSpan.FromMinutes(3));
            return new ValueTask<string>("summary");
        });

        Assert.Equal("summary", value);
        var balance = await h.Ledger.GetBalanceAsync("acme");
        Assert.Equal((1L, 0L), (balance.Used, balance.Held));
        var entries = await h.Ledger.GetEntriesAsync("acme", 0, 100);
        Assert.Single(entries, e => e.Kind == LedgerEntryKind.ReservationExpired);
        var charged = Assert.Single(entries, e => e.Kind == LedgerEntryKind.Committed);
        Assert.EndsWith(".retry1", Assert.Single(entries, e => e.Kind == LedgerEntryKind.Reserved && e.ReservationId == charged.ReservationId).IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnActionThatOutlivesItsHold_InADryPool_ReturnsItsResult_Uncharged()
    {
        await using var h = await GuardHarness.CreateAsync();
        await using var hold = await h.Guard.ReserveAsync(AiFeature.ConversationSummary);
        await h.SpendAsync(2_999);
        h.Clock.Advance(TimeSpan.FromMinutes(3));
        await h.SpendAsync(1);

        await hold.CommitAsync();

        var balance = await h.Ledger.GetBalanceAsync("acme");
        Assert.Equal((3_000L, 0L, 0L), (balance.Used, balance.Held, balance.Available));
        Assert.Equal(CreditDenialReason.CreditsExhausted, (await h.Guard.TryExecuteAsync(AiFeature.ConversationSummary, (_, _) => new ValueTask<int>(1))).Denial?.Reason);
    }
}
