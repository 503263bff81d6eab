namespace Versana.Sdk.Analyzers.Tests;

public sealed class RawBackendAnalyzerTests
{
    [Fact]
    public Task NewRawBackend_IsFlagged() => Verifier.AnalyzeAsync<RawBackendAnalyzer>("""
        class App { object Make() => {|VCX0002:new OfflineAiBackend()|}; }
        """);

    [Fact]
    public Task RawBackendRegisteredAsAFeatureInterface_IsFlagged() => Verifier.AnalyzeAsync<RawBackendAnalyzer>("""
        class App
        {
            void Configure(IServiceCollection services)
            {
                {|VCX0002:services.AddSingleton<IConversationSummaryClient, OfflineAiBackend>()|};
                {|VCX0002:services.TryAddScoped<IClassificationClient, OfflineAiBackend>()|};
            }
        }
        """);

    [Fact]
    public Task NewUserDefinedRawBackend_IsFlagged() => Verifier.AnalyzeAsync<RawBackendAnalyzer>("""
        class MyModel { [RequiresCreditGuard("Translation")] public string Translate(string s) => s; public void Warm() { } }
        class App { object Make() => {|VCX0002:new MyModel()|}; }
        """);

    [Fact]
    public Task BackendCreatedForUseBackend_IsAllowed() => Verifier.AnalyzeAsync<RawBackendAnalyzer>("""
        class App
        {
            void Configure(IServiceCollection services) => services.AddVersana().UseInMemoryLedger().UseBackend(_ => new OfflineAiBackend());
        }
        """);

    [Fact]
    public Task BackendCreatedInsideAGuardedAction_IsAllowed() => Verifier.AnalyzeAsync<RawBackendAnalyzer>("""
        class App
        {
            static readonly Conversation T = new("c", new ConversationMessage[0]);
            ValueTask<ConversationSummary> Run(ICreditGuard guard)
                => guard.ExecuteAsync(AiFeature.ConversationSummary, (c, ct) => new ValueTask<ConversationSummary>(new OfflineAiBackend().SummarizeAsync(T, ct)));
        }
        """);

    [Fact]
    public Task GuardedClientsAndOtherRegistrations_AreAllowed() => Verifier.AnalyzeAsync<RawBackendAnalyzer>("""
        class MyDecorator : IConversationSummaryClient
        {
            public Task<ConversationSummary> SummarizeAsync(Conversation c, CancellationToken ct = default) => Task.FromResult(new ConversationSummary("", 0));
        }
        class App
        {
            void Configure(IServiceCollection services)
            {
                services.AddSingleton<IConversationSummaryClient, MyDecorator>();
                services.AddSingleton<App>();
                services.AddVersana(o => o.WorkspaceId = "acme").UseInMemoryLedger();
            }
        }
        """);
}
