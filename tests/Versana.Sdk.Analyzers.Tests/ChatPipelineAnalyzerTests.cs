namespace Versana.Sdk.Analyzers.Tests;

public sealed class ChatPipelineAnalyzerTests
{
    [Fact]
    public Task BuilderChainWithoutTheGuard_IsFlagged() => Verifier.AnalyzeAsync<ChatPipelineAnalyzer>("""
        class App
        {
            IChatClient Make(IChatClient inner, IServiceProvider sp) => {|VCX0003:new ChatClientBuilder(inner).UseFunctionInvocation().Build(sp)|};
            IChatClient Make2(IChatClient inner) => {|VCX0003:inner.AsBuilder().Build()|};
        }
        """);

    [Fact]
    public Task AddChatClientWithoutTheGuard_IsFlagged() => Verifier.AnalyzeAsync<ChatPipelineAnalyzer>("""
        class App
        {
            void Configure(IServiceCollection services, IChatClient inner) => {|VCX0003:services.AddChatClient(inner)|}.UseFunctionInvocation();
        }
        """);

    [Fact]
    public Task PipelinesWithTheGuard_AreAllowed() => Verifier.AnalyzeAsync<ChatPipelineAnalyzer>("""
        class App
        {
            IChatClient Make(IChatClient inner, IServiceProvider sp) => new ChatClientBuilder(inner).UseCreditGuard(AiFeature.ReplySuggestion).UseFunctionInvocation().Build(sp);
            void Configure(IServiceCollection services, IChatClient inner) => services.AddChatClient(inner).UseCreditGuard(AiFeature.ConversationSummary);
        }
        """);

    [Fact]
    public Task BuilderKeptInAVariable_IsNotJudged() => Verifier.AnalyzeAsync<ChatPipelineAnalyzer>("""
        class App
        {
            IChatClient Make(ChatClientBuilder builder, IServiceProvider sp) => builder.Build(sp);
            ChatClientBuilder Keep(IServiceCollection services, IChatClient inner) => services.AddChatClient(inner);
        }
        """);
}
