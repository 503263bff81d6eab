using Versana.Sdk.CodeFixes;

namespace Versana.Sdk.Analyzers.Tests;

public sealed class UseVersanaBackendCodeFixTests
{
    [Fact]
    public Task RawRegistrations_BecomeAddVersanaWiring_FixAll() => Verifier.FixAsync<RawBackendAnalyzer, UseVersanaBackendCodeFix>(
        """
        class App
        {
            void Configure(IServiceCollection services)
            {
                {|VCX0002:services.AddSingleton<IConversationSummaryClient, OfflineAiBackend>()|};
                {|VCX0002:services.TryAddScoped<IClassificationClient, OfflineAiBackend>()|};
            }
        }
        """,
        """
        class App
        {
            void Configure(IServiceCollection services)
            {
                services.AddVersana().UseBackend(sp => ActivatorUtilities.CreateInstance<OfflineAiBackend>(sp));
                services.AddVersana().UseBackend(sp => ActivatorUtilities.CreateInstance<OfflineAiBackend>(sp));
            }
        }
        """);

    [Fact]
    public Task BackendThatIsNotAFullFeatureBackend_OffersNoFix() => Verifier.FixAsync<RawBackendAnalyzer, UseVersanaBackendCodeFix>(
        """
        class OnlySummaries : IConversationSummaryClient
        {
            [RequiresCreditGuard("ConversationSummary")]
            public Task<ConversationSummary> SummarizeAsync(Conversation c, CancellationToken ct = default) => Task.FromResult(new ConversationSummary("", 0));
        }
        class App
        {
            void Configure(IServiceCollection services) => {|VCX0002:services.AddSingleton<IConversationSummaryClient, OnlySummaries>()|};
        }
        """,
        """
        class OnlySummaries : IConversationSummaryClient
        {
            [RequiresCreditGuard("ConversationSummary")]
            public Task<ConversationSummary> SummarizeAsync(Conversation c, CancellationToken ct = default) => Task.FromResult(new ConversationSummary("", 0));
        }
        class App
        {
            void Configure(IServiceCollection services) => {|VCX0002:services.AddSingleton<IConversationSummaryClient, OnlySummaries>()|};
        }
        """);
}
