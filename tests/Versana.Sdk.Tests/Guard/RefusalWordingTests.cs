namespace Versana.Sdk.Tests.Guard;

/// <summary>Every refusal names the feature and amount asked for, also when it comes from the pause memo.</summary>
public sealed class RefusalWordingTests
{
    private static ValueTask<int> Run(CreditGuardContext context, CancellationToken cancellationToken) => new(1);

    [Fact]
    public async Task AfterAPause_EachRefusalNamesItsOwnFeatureAndAmount_FromMemoryOnceItsPriceIsKnown()
    {
        await using var h = await GuardHarness.CreateAsync();
        await h.SpendAsync(3_000);

        var automated = await h.Guard.TryExecuteAsync(AiFeature.AutomatedResponse, Run);
        Assert.Equal((AiFeature.AutomatedResponse, 2L, 0L), (automated.Denial!.Feature, automated.Denial.Requested, automated.Denial.Available));
        Assert.Contains("AutomatedResponse needs 2 credits and 0 are available", automated.Denial.Message, StringComparison.Ordinal);

        // The pause is remembered, but this process has not seen a summary's price: the ledger says it once.
        var reservesBefore = h.Counting.Reserves;
        var summary = await h.Guard.TryExecuteAsync(AiFeature.ConversationSummary, Run);
        Assert.Equal(reservesBefore + 1, h.Counting.Reserves);
        Assert.Equal((AiFeature.ConversationSummary, 1L), (summary.Denial!.Feature, summary.Denial.Requested));
        Assert.Contains("ConversationSummary needs 1 credit and 0 are available", summary.Denial.Message, StringComparison.Ordinal);

        var again = await h.Guard.TryExecuteAsync(AiFeature.ConversationSummary, Run);
        var metered = await h.Guard.TryExecuteAsync(AiFeature.ReplySuggestion, Run, new AiCallOptions { Credits = 5 });
        var paused = await Assert.ThrowsAsync<AiPausedException>(() => h.Guard.ExecuteAsync(AiFeature.AutomatedResponse, Run).AsTask());

        Assert.Equal(reservesBefore + 1, h.Counting.Reserves);
        Assert.Contains("ConversationSummary needs 1 credit and 0 are available", again.Denial!.Message, StringComparison.Ordinal);
        Assert.Equal((AiFeature.ReplySuggestion, 5L), (metered.Denial!.Feature, metered.Denial.Requested));
        Assert.Contains("ReplySuggestion needs 5 credits and 0 are available", metered.Denial.Message, StringComparison.Ordinal);
        Assert.Contains("AutomatedResponse needs 2 credits", paused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFeatureReservedBeforeThePause_IsRefusedFromMemory_WithItsPrice()
    {
        await using var h = await GuardHarness.CreateAsync();
        await h.Guard.ExecuteAsync(AiFeature.ConversationSummary, Run);
        await h.SpendAsync(2_999);

        var automated = await h.Guard.TryExecuteAsync(AiFeature.AutomatedResponse, Run);
        var reservesBefore = h.Counting.Reserves;
        var summary = await h.Guard.TryExecuteAsync(AiFeature.ConversationSummary, Run);

        Assert.Equal(CreditDenialReason.CreditsExhausted, automated.Denial!.Reason);
        Assert.Equal(reservesBefore, h.Counting.Reserves);
        Assert.Equal((AiFeature.ConversationSummary, 1L, 0L), (summary.Denial!.Feature, summary.Denial.Requested, summary.Denial.Available));
    }
}
