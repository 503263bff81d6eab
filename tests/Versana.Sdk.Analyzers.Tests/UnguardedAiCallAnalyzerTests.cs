namespace Versana.Sdk.Analyzers.Tests;

public sealed class UnguardedAiCallAnalyzerTests
{
    // ---- Flagged ----

    [Fact]
    public Task DirectCallOnARawBackend_IsFlagged() => Verifier.AnalyzeAsync("""
        class App
        {
            static readonly Conversation T = new("c", new ConversationMessage[0]);
            async Task Run(OfflineAiBackend backend) => await {|VCX0001:backend.SummarizeAsync(T)|};
        }
        """);

    [Fact]
    public Task CallThroughAnInterfaceMarkedByItsImplementation_IsFlagged() => Verifier.AnalyzeAsync("""
        interface IMyAi { string Complete(string prompt); }
        class MyAi : IMyAi
        {
            [RequiresCreditGuard("Translation")]
            public string Complete(string prompt) => prompt;
        }
        class App
        {
            string Run(MyAi ai) => {|VCX0001:ai.Complete("hi")|};
        }
        """);

    [Fact]
    public Task CallOnAMarkedInterface_IsFlagged() => Verifier.AnalyzeAsync("""
        [RequiresCreditGuard("Translation")]
        interface IRawTranslator { string Translate(string text); }
        class App
        {
            string Run(IRawTranslator t) => {|VCX0001:t.Translate("hi")|};
        }
        """);

    [Fact]
    public Task CallToAnOverrideOfAMarkedMember_IsFlagged() => Verifier.AnalyzeAsync("""
        abstract class RawModel
        {
            [RequiresCreditGuard("ReplySuggestion")]
            public abstract string Draft(string text);
        }
        sealed class MyModel : RawModel
        {
            public override string Draft(string text) => text;
        }
        class App
        {
            string Run(MyModel m) => {|VCX0001:m.Draft("hi")|};
        }
        """);

    [Fact]
    public Task MarkedExtensionMethod_IsFlagged() => Verifier.AnalyzeAsync("""
        static class AiExtensions
        {
            [RequiresCreditGuard("ConversationSummary")]
            public static string QuickSummary(this string text) => text;
        }
        class App
        {
            string Run(string s) => {|VCX0001:s.QuickSummary()|};
        }
        """);

    [Fact]
    public Task MethodGroupOfARawBackend_IsFlagged() => Verifier.AnalyzeAsync("""
        class App
        {
            Func<string, CancellationToken, Task<MessageClassification>> Run(OfflineAiBackend backend) => {|VCX0001:backend.ClassifyAsync|};
        }
        """);

    [Fact]
    public Task LambdaThatIsNotGiven_ToTheGuard_IsFlagged() => Verifier.AnalyzeAsync("""
        class App
        {
            Task<MessageClassification> Run(OfflineAiBackend backend) => Task.Run(() => {|VCX0001:backend.ClassifyAsync("hi")|});
        }
        """);

    [Fact]
    public Task ApiListedInTheGuardedApisFile_IsFlagged() => Verifier.AnalyzeAsync(
        """
        namespace Vendor { public class LlmClient { public string Complete(string prompt) => prompt; } }
        class App
        {
            string Run(Vendor.LlmClient client) => {|VCX0001:client.Complete("hi")|};
        }
        """,
        "M:Vendor.LlmClient.Complete(System.String);ReplySuggestion  // our vendor's completion call\n");

    [Fact]
    public Task CallThroughTheRawBackendInterface_IsFlaggedWithTheMembersFeature() => Verifier.AnalyzeAsync("""
        class App
        {
            Task<MessageClassification> Run(IAiFeatureBackend backend) => {|#0:backend.ClassifyAsync("hi")|};
        }
        """.Replace("{|#0:", "{|VCX0001:"));

    // ---- Not flagged ----

    [Fact]
    public Task CallInsideAGuardLambda_IsAllowed() => Verifier.AnalyzeAsync("""
        class App
        {
            static readonly Conversation T = new("c", new ConversationMessage[0]);
            ValueTask<ConversationSummary> Run(ICreditGuard guard, OfflineAiBackend backend)
                => guard.ExecuteAsync(AiFeature.ConversationSummary, async (credits, ct) => await backend.SummarizeAsync(T, ct));
        }
        """);

    [Fact]
    public Task NestedLambdaInsideAGuardLambda_IsAllowed() => Verifier.AnalyzeAsync("""
        class App
        {
            async Task<MessageClassification[]?> Run(ICreditGuard guard, OfflineAiBackend backend, string[] messages)
            {
                var result = await guard.TryExecuteAsync(AiFeature.Classification, async (credits, ct) =>
                    await Task.WhenAll(messages.Select(m => backend.ClassifyAsync(m, ct))));
                return result.Value;
            }
        }
        """);

    [Fact]
    public Task AsyncLocalFunctionInsideAGuardLambda_IsAllowed() => Verifier.AnalyzeAsync("""
        class App
        {
            ValueTask<string> Run(ICreditGuard guard, OfflineAiBackend backend)
                => guard.ExecuteAsync(AiFeature.Classification, async (credits, ct) =>
                {
                    async Task<string> ClassifyAsync(string m) => (await backend.ClassifyAsync(m, ct)).Intent.ToString();
                    return await ClassifyAsync("hi");
                });
        }
        """);

    [Fact]
    public Task LocalFunctionPassedToTheGuard_IsAllowed() => Verifier.AnalyzeAsync("""
        class App
        {
            ValueTask<MessageClassification> Run(ICreditGuard guard, OfflineAiBackend backend)
            {
                return guard.ExecuteAsync(AiFeature.Classification, Classify);

                async ValueTask<MessageClassification> Classify(CreditGuardContext credits, CancellationToken ct) => await backend.ClassifyAsync("hi", ct);
            }
        }
        """);

    [Fact]
    public Task MethodPassedToTheGuard_IsAllowed() => Verifier.AnalyzeAsync("""
        class App(ICreditGuard guard, OfflineAiBackend backend)
        {
            ValueTask<MessageClassification> Run() => guard.ExecuteAsync(AiFeature.Classification, ClassifyCore);

            async ValueTask<MessageClassification> ClassifyCore(CreditGuardContext credits, CancellationToken ct) => await backend.ClassifyAsync("hi", ct);
        }
        """);

    [Fact]
    public Task DecoratorType_IsAllowed() => Verifier.AnalyzeAsync("""
        [CreditGuardDecorator]
        class MyGuardedClassifier(OfflineAiBackend backend)
        {
            public Task<MessageClassification> Classify(string m) => backend.ClassifyAsync(m);
        }
        """);

    [Fact]
    public Task GenericDecorator_IsAllowed() => Verifier.AnalyzeAsync("""
        [RequiresCreditGuard("Translation")]
        interface IRawTranslator { string Translate(string text); }
        [CreditGuardDecorator]
        class Guarded<TTranslator>(TTranslator translator) where TTranslator : IRawTranslator
        {
            public string Translate(string text) => translator.Translate(text);
        }
        """);

    [Fact]
    public Task GenericWrapperWithoutTheGuard_IsFlagged() => Verifier.AnalyzeAsync("""
        [RequiresCreditGuard("Translation")]
        interface IRawTranslator { string Translate(string text); }
        class Unguarded<TTranslator>(TTranslator translator) where TTranslator : IRawTranslator
        {
            public string Translate(string text) => {|VCX0001:translator.Translate(text)|};
        }
        """);

    [Fact]
    public Task FreeActionsOnTheSameClientType_AreAllowed() => Verifier.AnalyzeAsync("""
        class HelpdeskClient
        {
            [RequiresCreditGuard("ReplySuggestion")]
            public string SuggestReply(string text) => text;
            public void Assign(string conversation, string agent) { }
            public void SendManualReply(string conversation, string text) { }
        }
        class App
        {
            void Run(HelpdeskClient client)
            {
                client.Assign("c1", "agent-7");
                client.SendManualReply("c1", "Hello!");
            }
        }
        """);

    [Fact]
    public Task PassingARawClientAround_WithoutCallingIt_IsAllowed() => Verifier.AnalyzeAsync("""
        class App
        {
            OfflineAiBackend Keep(OfflineAiBackend backend) => backend;
            void Run(OfflineAiBackend backend) { var copy = Keep(backend); Console.WriteLine(copy.GetType().Name); }
        }
        """);

    [Fact]
    public Task GuardedFeatureClientsFromDI_AreAllowed() => Verifier.AnalyzeAsync("""
        class App(IConversationSummaryClient summaries, IClassificationClient classifier)
        {
            static readonly Conversation T = new("c", new ConversationMessage[0]);
            async Task Run() { await summaries.SummarizeAsync(T); await classifier.ClassifyAsync("hi"); }
        }
        """);

    // Stand-ins for the ASP.NET Core package's endpoint API (the same type names and namespaces).
    private const string EndpointApi = """
        namespace Versana.Sdk.AspNetCore
        {
            [AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
            public sealed class RequiresAiCreditsAttribute(string feature) : Attribute { public string Feature { get; } = feature; }
            public sealed class Endpoint { }
            public sealed class Routes { public Endpoint MapPost(string pattern, Delegate handler) => new(); public RouteGroup Group(string prefix) => new(); }
            public sealed class RouteGroup { public Endpoint MapPost(string pattern, Delegate handler) => new(); public RouteGroup Group(string prefix) => this; }
            public static class EndpointExtensions
            {
                public static Endpoint WithName(this Endpoint endpoint, string name) => endpoint;
            }
        }
        namespace Microsoft.AspNetCore.Builder
        {
            public static class CreditGuardEndpointConventionBuilderExtensions
            {
                public static Versana.Sdk.AspNetCore.Endpoint RequireAiCredits(this Versana.Sdk.AspNetCore.Endpoint endpoint, Versana.Sdk.AiFeature feature) => endpoint;
                public static Versana.Sdk.AspNetCore.Endpoint DisableCreditGuard(this Versana.Sdk.AspNetCore.Endpoint endpoint) => endpoint;
                public static Versana.Sdk.AspNetCore.RouteGroup RequireAiCredits(this Versana.Sdk.AspNetCore.RouteGroup group, Versana.Sdk.AiFeature feature) => group;
                public static Versana.Sdk.AspNetCore.RouteGroup DisableCreditGuard(this Versana.Sdk.AspNetCore.RouteGroup group) => group;
            }
        }
        namespace Lookalike
        {
            public static class Extensions
            {
                public static Versana.Sdk.AspNetCore.Endpoint RequireAiCredits(this Versana.Sdk.AspNetCore.Endpoint endpoint, Versana.Sdk.AiFeature feature) => endpoint;
            }
        }
        """;

    [Fact]
    public Task ActionOrControllerRequiringCredits_IsAllowed() => Verifier.AnalyzeAsync(EndpointApi + """
        [Versana.Sdk.AspNetCore.RequiresAiCredits("ConversationSummary")]
        class SummariesController(IAiFeatureBackend backend)
        {
            static readonly Conversation T = new("c", new ConversationMessage[0]);
            public Task<ConversationSummary> Post() => backend.SummarizeAsync(T);
        }
        class RepliesController(IAiFeatureBackend backend)
        {
            static readonly Conversation T = new("c", new ConversationMessage[0]);
            [Versana.Sdk.AspNetCore.RequiresAiCredits("ReplySuggestion")]
            public Task<ReplySuggestion> Post() => backend.SuggestReplyAsync(T);
        }
        """);

    [Fact]
    public Task MinimalApiHandlerRequiringCredits_IsAllowed_AndOneWithout_IsFlagged() => Verifier.AnalyzeAsync(EndpointApi + """
        class App
        {
            void Map(Versana.Sdk.AspNetCore.Routes routes, IAiFeatureBackend backend)
            {
                Versana.Sdk.AspNetCore.EndpointExtensions.WithName(
                    Microsoft.AspNetCore.Builder.CreditGuardEndpointConventionBuilderExtensions.RequireAiCredits(
                        routes.MapPost("/classify", (string m) => backend.ClassifyAsync(m)), AiFeature.Classification), "classify");
                routes.MapPost("/free", (string m) => {|VCX0001:backend.ClassifyAsync(m)|});
            }
        }
        """);

    [Fact]
    public Task AHandlerInARouteGroupRequiringCredits_IsAllowed_AndOneInAFreeGroup_IsFlagged() => Verifier.AnalyzeAsync(EndpointApi + """
        class App
        {
            void Map(Versana.Sdk.AspNetCore.Routes routes, IAiFeatureBackend backend)
            {
                var group = Microsoft.AspNetCore.Builder.CreditGuardEndpointConventionBuilderExtensions.RequireAiCredits(routes.Group("/ai"), AiFeature.Classification);
                var nested = group.Group("/v2");
                group.MapPost("/classify", (string m) => backend.ClassifyAsync(m));
                nested.MapPost("/classify", (string m) => backend.ClassifyAsync(m));
                var off = Microsoft.AspNetCore.Builder.CreditGuardEndpointConventionBuilderExtensions.DisableCreditGuard(group.Group("/off"));
                off.MapPost("/classify", (string m) => {|VCX0001:backend.ClassifyAsync(m)|});
                var free = routes.Group("/free");
                free.MapPost("/classify", (string m) => {|VCX0001:backend.ClassifyAsync(m)|});
            }
        }
        """);

    [Fact]
    public Task AHandlerWhoseCreditsAreDisabled_OrRequiredByALookalike_IsFlagged() => Verifier.AnalyzeAsync(EndpointApi + """
        class App
        {
            void Map(Versana.Sdk.AspNetCore.Routes routes, IAiFeatureBackend backend)
            {
                Microsoft.AspNetCore.Builder.CreditGuardEndpointConventionBuilderExtensions.DisableCreditGuard(
                    Microsoft.AspNetCore.Builder.CreditGuardEndpointConventionBuilderExtensions.RequireAiCredits(
                        routes.MapPost("/off", (string m) => {|VCX0001:backend.ClassifyAsync(m)|}), AiFeature.Classification));
                Lookalike.Extensions.RequireAiCredits(routes.MapPost("/lookalike", (string m) => {|VCX0001:backend.ClassifyAsync(m)|}), AiFeature.Classification);
            }
        }
        """);

    [Fact]
    public Task ProjectWithoutTheSdkOrAGuardedApisFile_IsNotAnalyzed() => Verifier.AnalyzeAsync("""
        namespace Vendor { public class LlmClient { public string Complete(string prompt) => prompt; } }
        class App { string Run(Vendor.LlmClient client) => client.Complete("hi"); }
        """);
}
