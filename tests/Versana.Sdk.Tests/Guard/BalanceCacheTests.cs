namespace Versana.Sdk.Tests.Guard;

public sealed class BalanceCacheTests
{
    private static ValueTask<int> Ok(CreditGuardContext context, CancellationToken cancellationToken) => new(1);

    [Fact]
    public async Task Balance_IsServedFromTheCache_WithinItsAge_AndRefreshedByReplies()
    {
        await using var h = await GuardHarness.CreateAsync(configure: o => o.BalanceCacheAge = TimeSpan.FromSeconds(5));
        await h.Guard.ExecuteAsync(AiFeature.ConversationSummary, Ok);
        var callsBefore = h.Counting.Balances;

        var cached = await h.Guard.GetBalanceAsync();

        Assert.Equal(callsBefore, h.Counting.Balances);
        Assert.Equal(1, cached.Used);

        await h.Guard.ExecuteAsync(AiFeature.AutomatedResponse, Ok);
        Assert.Equal(3, (await h.Guard.GetBalanceAsync()).Used);
        Assert.Equal(callsBefore, h.Counting.Balances);

        h.Clock.Advance(TimeSpan.FromSeconds(6));
        var fresh = await h.Guard.GetBalanceAsync();
        Assert.Equal(callsBefore + 1, h.Counting.Balances);
        Assert.Equal(h.Clock.GetUtcNow(), fresh.AsOf);
    }

    [Fact]
    public async Task PausedMemo_RefusesWithoutAskingTheLedger()
    {
        await using var h = await GuardHarness.CreateAsync();
        await h.SpendAsync(3_000);
        await Assert.ThrowsAsync<AiPausedException>(() => h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok).AsTask());
        var reserves = h.Counting.Reserves;

        for (var i = 0; i < 10; i++)
        {
            var result = await h.Guard.TryExecuteAsync(AiFeature.ConversationSummary, Ok);
            Assert.Equal(CreditDenialReason.CreditsExhausted, result.Denial!.Reason);
        }

        // Only the first summary asks the ledger: the refusal names the summary's price, which this process had not seen.
        Assert.Equal(reserves + 1, h.Counting.Reserves);
    }

    [Fact]
    public async Task PausedMemo_EndsWithABoostPurchaseThroughThisProcess()
    {
        await using var h = await GuardHarness.CreateAsync();
        await h.SpendAsync(3_000);
        await Assert.ThrowsAsync<AiPausedException>(() => h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok).AsTask());

        await h.Ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "boost"));

        Assert.Equal(1, await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok));
        Assert.Equal(999, (await h.Guard.GetBalanceAsync()).BoostRemaining);
    }

    [Fact]
    public async Task PausedMemo_EndsAtResumesAt()
    {
        await using var h = await GuardHarness.CreateAsync(configure: o => o.PauseMemoMaxAge = TimeSpan.FromDays(30));
        await h.SpendAsync(3_000);
        await Assert.ThrowsAsync<AiPausedException>(() => h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok).AsTask());

        h.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(1, await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok));
    }

    [Fact]
    public async Task PausedMemo_EndsAfterItsMaximumAge()
    {
        await using var h = await GuardHarness.CreateAsync(configure: o => o.PauseMemoMaxAge = TimeSpan.FromSeconds(30));
        await h.SpendAsync(3_000);
        await Assert.ThrowsAsync<AiPausedException>(() => h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok).AsTask());
        var reserves = h.Counting.Reserves;

        // Another process bought a pack: this process learns it only when the memo ends.
        await h.Counting.Inner.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "elsewhere"));
        await Assert.ThrowsAsync<AiPausedException>(() => h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok).AsTask());
        Assert.Equal(reserves, h.Counting.Reserves);

        h.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok));
        Assert.Equal(reserves + 1, h.Counting.Reserves);
    }

    [Fact]
    public async Task PausedMemo_IsNotKept_WhenANewerReplyGaveCreditsBackFirst()
    {
        await using var h = await GuardHarness.CreateAsync();
        await h.SpendAsync(2_999);

        // A call holds the last credit until it fails; meanwhile another is refused, and its reply is late.
        var failLater = new TaskCompletionSource();
        var holding = h.Guard.ExecuteAsync<int>(AiFeature.ReplySuggestion, async (_, _) =>
        {
            await failLater.Task;
            throw new InvalidOperationException("the model failed");
        }).AsTask();
        var deliverRefusal = new TaskCompletionSource();
        h.Counting.HoldReserveReply = granted => granted ? Task.CompletedTask : deliverRefusal.Task;
        var refused = h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok).AsTask();

        // The failed call gives its credit back (a newer balance, not paused) before the refusal's reply arrives.
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        failLater.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(() => holding);
        deliverRefusal.SetResult();
        await Assert.ThrowsAsync<AiPausedException>(() => refused);
        h.Counting.HoldReserveReply = null;
        var reserves = h.Counting.Reserves;

        // The late refusal must not pause this process: the next call asks the ledger and gets the credit.
        Assert.Equal(1, await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok));
        Assert.Equal(reserves + 1, h.Counting.Reserves);
        Assert.Equal(0, (await h.Counting.Inner.GetBalanceAsync("acme")).Available);
    }

    [Fact]
    public async Task FeatureRefusal_DoesNotBlockCheaperFeatures()
    {
        await using var h = await GuardHarness.CreateAsync();
        await h.SpendAsync(2_999);

        await Assert.ThrowsAsync<AiPausedException>(() => h.Guard.ExecuteAsync(AiFeature.AutomatedResponse, Ok).AsTask());

        Assert.Equal(1, await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok));
    }

    [Fact]
    public async Task FeatureRefusal_OfALargeAmount_DoesNotBlockTheSameFeatureAtASmallerOne()
    {
        await using var h = await GuardHarness.CreateAsync();
        await h.SpendAsync(2_900);

        // 100 credits left: a 500-credit call of a feature is refused; the same feature at its price is not.
        var large = await h.Guard.TryExecuteAsync(AiFeature.ConversationSummary, Ok, new AiCallOptions { Credits = 500 });
        Assert.Equal(CreditDenialReason.CreditsExhausted, large.Denial?.Reason);
        Assert.Equal(1, await h.Guard.ExecuteAsync(AiFeature.ConversationSummary, Ok));
        Assert.Equal(1, await h.Guard.ExecuteAsync(AiFeature.ConversationSummary, Ok, new AiCallOptions { Credits = 50 }));

        // At least as large as the refused amount: refused from memory, without a ledger call.
        var reserves = h.Counting.Reserves;
        var again = await h.Guard.TryExecuteAsync(AiFeature.ConversationSummary, Ok, new AiCallOptions { Credits = 600 });
        Assert.Equal(CreditDenialReason.CreditsExhausted, again.Denial?.Reason);
        Assert.Equal(reserves, h.Counting.Reserves);
    }

    [Fact]
    public async Task PausedMemo_DoesNotRefuseAnAmountThatFitsWhatIsLeft()
    {
        await using var h = await GuardHarness.CreateAsync();
        await h.Ledger.UpdateSettingsAsync("acme", new WorkspaceSettingsUpdate { Costs = AiFeature.BuiltIn.ToDictionary(f => f, _ => 3L) });
        await h.SpendAsync(2_998);

        // 2 left and nothing costs less than 3: paused, and every call at its price is refused from memory.
        await Assert.ThrowsAsync<AiPausedException>(() => h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok).AsTask());
        Assert.Equal(CreditDenialReason.CreditsExhausted, (await h.Guard.TryExecuteAsync(AiFeature.Classification, Ok)).Denial?.Reason);
        var reserves = h.Counting.Reserves;
        Assert.Equal(CreditDenialReason.CreditsExhausted, (await h.Guard.TryExecuteAsync(AiFeature.Classification, Ok)).Denial?.Reason);
        Assert.Equal(CreditDenialReason.CreditsExhausted, (await h.Guard.TryExecuteAsync(AiFeature.Classification, Ok, new AiCallOptions { Credits = 3 })).Denial?.Reason);
        Assert.Equal(reserves, h.Counting.Reserves);

        // A metered call asking for what is left is the ledger's to decide, and it fits.
        Assert.Equal(1, await h.Guard.ExecuteAsync(AiFeature.Classification, Ok, new AiCallOptions { Credits = 2 }));
    }

    [Fact]
    public async Task Cache_NeverGrantsWithoutTheLedger()
    {
        await using var h = await GuardHarness.CreateAsync();

        for (var i = 0; i < 5; i++)
        {
            await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok);
        }

        Assert.Equal(5, h.Counting.Reserves);
        Assert.Equal(5, h.Counting.Commits);
    }

    [Fact]
    public async Task PausedMemo_WithAutomationOff_RefusesAutomatedResponsesForThat_AndOtherFeaturesStillForTheCredits()
    {
        await using var h = await GuardHarness.CreateAsync(automation: false);
        await h.SpendAsync(3_000);
        Assert.Equal(CreditDenialReason.CreditsExhausted, (await h.Guard.TryExecuteAsync(AiFeature.ReplySuggestion, Ok)).Denial!.Reason);

        // The ledger checks automation before credits: the pause is not why an automated response is refused.
        var automated = await h.Guard.TryExecuteAsync(AiFeature.AutomatedResponse, Ok);
        Assert.Equal(CreditDenialReason.AutomationNotActivated, automated.Denial!.Reason);

        // That refusal concerns one feature: the others are still refused for the pause, from memory.
        var reserves = h.Counting.Reserves;
        Assert.Equal(CreditDenialReason.CreditsExhausted, (await h.Guard.TryExecuteAsync(AiFeature.ReplySuggestion, Ok)).Denial!.Reason);
        Assert.Equal(CreditDenialReason.AutomationNotActivated, (await h.Guard.TryExecuteAsync(AiFeature.AutomatedResponse, Ok)).Denial!.Reason);
        Assert.Equal(reserves, h.Counting.Reserves);
    }

    [Fact]
    public async Task AutomationRefusal_EndsWhenAReplyShowsAutomationOn()
    {
        await using var h = await GuardHarness.CreateAsync(automation: false);
        Assert.Equal(CreditDenialReason.AutomationNotActivated, (await h.Guard.TryExecuteAsync(AiFeature.AutomatedResponse, Ok)).Denial!.Reason);

        // Switched on by another process: this one learns it from the next reply it sees.
        await h.Counting.Inner.UpdateSettingsAsync("acme", new WorkspaceSettingsUpdate { AutomationEnabled = true });
        await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok);

        Assert.True((await h.Guard.TryExecuteAsync(AiFeature.AutomatedResponse, Ok)).Succeeded);
    }

    [Fact]
    public async Task PausedMemo_DoesNotRefuseARetryOfAnActionAlreadyPaidFor()
    {
        await using var h = await GuardHarness.CreateAsync();
        var paid = new AiCallOptions { IdempotencyKey = "user-action-1" };
        await h.Guard.ExecuteAsync(AiFeature.ReplySuggestion, Ok, paid);
        await h.SpendAsync(2_999);
        Assert.Equal(CreditDenialReason.CreditsExhausted, (await h.Guard.TryExecuteAsync(AiFeature.ReplySuggestion, Ok)).Denial!.Reason);
        var used = (await h.Counting.Inner.GetBalanceAsync("acme")).Used;

        // The ledger answers a paid key with its committed reservation whatever the balance: the memo must not refuse it.
        var retry = await h.Guard.TryExecuteAsync(AiFeature.ReplySuggestion, (context, _) => new ValueTask<ReservationStatus>(context.Reservation.Status), paid);

        Assert.Equal(ReservationStatus.Committed, retry.Value);
        Assert.Equal(used, (await h.Counting.Inner.GetBalanceAsync("acme")).Used);
    }
}
