using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Versana.Sdk.Tests.Guard;

namespace Versana.Sdk.Tests.Features;

public sealed class FeatureClientTests
{
    private static readonly Conversation s_thread = new("c1", [new("Kim Park", "The dashboard shows an error when I open reports. Can you help?", true)]);

    [Fact]
    public async Task EachFeatureClient_FromDI_IsPaidForWithItsCost()
    {
        await using var h = await GuardHarness.CreateAsync();

        await h.Get<IReplySuggestionClient>().SuggestReplyAsync(s_thread);
        await h.Get<IConversationSummaryClient>().SummarizeAsync(s_thread);
        await h.Get<IClassificationClient>().ClassifyAsync(s_thread.Messages[0].Text);
        await h.Get<IAutomatedResponseClient>().RespondAsync(s_thread);

        var usage = await h.Ledger.GetUsageAsync("acme", new DateOnly(2026, 11, 15), new DateOnly(2026, 11, 15));
        Assert.Equal(5, usage.TotalCredits);
        Assert.Equal(4, usage.ByFeature.Count);
        Assert.Equal(2, usage.ByFeature.Single(f => f.Feature == AiFeature.AutomatedResponse).Credits);
    }

    [Fact]
    public async Task FeatureClient_WhenPaused_ThrowsAiPaused_AndTheBackendIsNotCalled()
    {
        await using var h = await GuardHarness.CreateAsync(automation: false);

        var ex = await Assert.ThrowsAsync<AiPausedException>(() => h.Get<IAutomatedResponseClient>().RespondAsync(s_thread));

        Assert.Equal(CreditDenialReason.AutomationNotActivated, ex.Reason);
        Assert.Equal(0, (await h.Ledger.GetBalanceAsync("acme")).Used);
    }

    [Fact]
    public async Task FailingBackend_CostsNothing()
    {
        var services = new ServiceCollection();
        services.AddVersana(o => o.WorkspaceId = "acme").UseInMemoryLedger().UseBackend(_ => new FailingBackend());
        await using var provider = services.BuildServiceProvider();
        var ledger = provider.GetRequiredService<ICreditLedger>();
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));

        await Assert.ThrowsAsync<HttpRequestException>(() => provider.GetRequiredService<IConversationSummaryClient>().SummarizeAsync(s_thread));

        var balance = await ledger.GetBalanceAsync("acme");
        Assert.Equal((0L, 0L), (balance.Used, balance.Held));
    }

    [Fact]
    public async Task AddVersana_TwiceIsHarmless_AndResolvesGuardedClients()
    {
        var services = new ServiceCollection();
        services.AddVersana(o => o.WorkspaceId = "acme").UseInMemoryLedger();
        services.AddVersana();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.Single(services, d => d.ServiceType == typeof(ICreditGuard));
        Assert.IsType<GuardedConversationSummaryClient>(provider.GetRequiredService<IConversationSummaryClient>());
    }

    [Fact]
    public async Task InvalidOptions_AreReportedAtStart_WithTheSettingToFix()
    {
        var services = new ServiceCollection();
        services.AddVersana(o =>
        {
            o.WorkspaceId = "not a workspace!";
            o.Ledger.ReservationTtl = TimeSpan.Zero;
        }).UseInMemoryLedger();
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<VersanaOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("VersanaOptions.WorkspaceId", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ReservationTtl", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingLedger_IsAClearError()
    {
        var services = new ServiceCollection();
        services.AddVersana(o => o.WorkspaceId = "acme");
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ICreditGuard>());

        Assert.Contains("UseSqliteLedger", ex.Message, StringComparison.Ordinal);
    }

    private sealed class FailingBackend : IAiFeatureBackend
    {
        public Task<MessageClassification> ClassifyAsync(string message, CancellationToken cancellationToken = default) => throw new HttpRequestException("backend down");

        public Task<ConversationSummary> SummarizeAsync(Conversation conversation, CancellationToken cancellationToken = default) => throw new HttpRequestException("backend down");

        public Task<ReplySuggestion> SuggestReplyAsync(Conversation conversation, CancellationToken cancellationToken = default) => throw new HttpRequestException("backend down");

        public Task<AutomatedResponse> RespondAsync(Conversation conversation, CancellationToken cancellationToken = default) => throw new HttpRequestException("backend down");
    }
}
