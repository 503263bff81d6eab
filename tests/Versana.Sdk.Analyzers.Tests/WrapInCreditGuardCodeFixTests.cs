namespace Versana.Sdk.Analyzers.Tests;

public sealed class WrapInCreditGuardCodeFixTests
{
    [Fact]
    public Task AwaitedCall_WithAGuardParameter_IsWrapped() => Verifier.FixAsync(
        """
        class App
        {
            async Task<string> Run(ICreditGuard guard, IAiFeatureBackend backend, Conversation thread)
            {
                var summary = await {|VCX0001:backend.SummarizeAsync(thread)|};
                return summary.Text;
            }
        }
        """,
        """
        class App
        {
            async Task<string> Run(ICreditGuard guard, IAiFeatureBackend backend, Conversation thread)
            {
                var summary = await guard.ExecuteAsync(AiFeature.ConversationSummary, async (credits, cancellationToken) => await backend.SummarizeAsync(thread));
                return summary.Text;
            }
        }
        """);

    [Fact]
    public Task ReturnedTask_WithAGuardField_IsWrappedAndStaysATask() => Verifier.FixAsync(
        """
        class App(ICreditGuard guard, IAiFeatureBackend backend)
        {
            private readonly ICreditGuard _guard = guard;
            Task<MessageClassification> Run(string message) => {|VCX0001:backend.ClassifyAsync(message)|};
        }
        """,
        """
        class App(ICreditGuard guard, IAiFeatureBackend backend)
        {
            private readonly ICreditGuard _guard = guard;
            Task<MessageClassification> Run(string message) => guard.ExecuteAsync(AiFeature.Classification, async (credits, cancellationToken) => await backend.ClassifyAsync(message)).AsTask();
        }
        """);

    [Fact]
    public Task FixAll_WrapsEveryFlaggedCall() => Verifier.FixAsync(
        """
        class App
        {
            async Task Run(ICreditGuard guard, IAiFeatureBackend backend, Conversation thread)
            {
                await {|VCX0001:backend.SummarizeAsync(thread)|};
                await {|VCX0001:backend.SuggestReplyAsync(thread)|};
            }
        }
        """,
        """
        class App
        {
            async Task Run(ICreditGuard guard, IAiFeatureBackend backend, Conversation thread)
            {
                await guard.ExecuteAsync(AiFeature.ConversationSummary, async (credits, cancellationToken) => await backend.SummarizeAsync(thread));
                await guard.ExecuteAsync(AiFeature.ReplySuggestion, async (credits, cancellationToken) => await backend.SuggestReplyAsync(thread));
            }
        }
        """);

    [Fact]
    public Task CustomFeature_IsNamedWithTheAiFeatureConstructor() => Verifier.FixAsync(
        """
        class Translator { [RequiresCreditGuard("Translation")] public Task<string> TranslateAsync(string s) => Task.FromResult(s); }
        class App
        {
            async Task<string> Run(ICreditGuard guard, Translator translator) => await {|VCX0001:translator.TranslateAsync("hola")|};
        }
        """,
        """
        class Translator { [RequiresCreditGuard("Translation")] public Task<string> TranslateAsync(string s) => Task.FromResult(s); }
        class App
        {
            async Task<string> Run(ICreditGuard guard, Translator translator) => await guard.ExecuteAsync(new AiFeature("Translation"), async (credits, cancellationToken) => await translator.TranslateAsync("hola"));
        }
        """);

    [Fact]
    public Task NoGuardInScope_OffersNoFix() => Verifier.FixAsync(
        """
        class App
        {
            async Task Run(IAiFeatureBackend backend, Conversation thread) => await {|VCX0001:backend.SummarizeAsync(thread)|};
        }
        """,
        """
        class App
        {
            async Task Run(IAiFeatureBackend backend, Conversation thread) => await {|VCX0001:backend.SummarizeAsync(thread)|};
        }
        """);

    [Fact]
    public Task NoGuardInScope_PrimaryConstructor_InjectsOne() => Verifier.FixAsync(
        """
        class App(IAiFeatureBackend backend)
        {
            async Task<string> Run(Conversation thread) => (await {|VCX0001:backend.SummarizeAsync(thread)|}).Text;
        }
        """,
        """
        class App(IAiFeatureBackend backend, ICreditGuard creditGuard)
        {
            async Task<string> Run(Conversation thread) => (await creditGuard.ExecuteAsync(AiFeature.ConversationSummary, async (credits, cancellationToken) => await backend.SummarizeAsync(thread))).Text;
        }
        """);

    [Fact]
    public Task NoGuardInScope_OneConstructor_InjectsAField() => Verifier.FixAsync(
        """
        class App
        {
            private readonly IAiFeatureBackend _backend;

            public App(IAiFeatureBackend backend)
            {
                _backend = backend;
            }

            Task<MessageClassification> Run(string message) => {|VCX0001:_backend.ClassifyAsync(message)|};
        }
        """,
        """
        class App
        {
            private readonly ICreditGuard _creditGuard;
            private readonly IAiFeatureBackend _backend;

            public App(IAiFeatureBackend backend, ICreditGuard creditGuard)
            {
                _backend = backend;
                _creditGuard = creditGuard;
            }

            Task<MessageClassification> Run(string message) => _creditGuard.ExecuteAsync(AiFeature.Classification, async (credits, cancellationToken) => await _backend.ClassifyAsync(message)).AsTask();
        }
        """);

    [Fact]
    public Task NoGuardInScope_StaticMember_OffersNoFix() => Verifier.FixAsync(
        """
        class App(IAiFeatureBackend backend)
        {
            static async Task Run(IAiFeatureBackend other, Conversation thread) => await {|VCX0001:other.SummarizeAsync(thread)|};
        }
        """,
        """
        class App(IAiFeatureBackend backend)
        {
            static async Task Run(IAiFeatureBackend other, Conversation thread) => await {|VCX0001:other.SummarizeAsync(thread)|};
        }
        """);
}
