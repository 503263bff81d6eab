using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Versana.Sdk.Tests.Features;

public sealed class ChatClientBackendTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);

    private static async Task<ServiceProvider> ProviderAsync(ScriptedChatClient chat, string plan = "Starter")
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(s_now));
        services.AddSingleton<IChatClient>(chat);
        services.AddVersana(o => o.WorkspaceId = "acme").UseInMemoryLedger().UseChatClientBackend();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ICreditLedger>().CreateWorkspaceAsync(new WorkspaceSettings("acme", plan) { AutomationEnabled = true });
        return provider;
    }

    private static Task<UsageReport> UsageAsync(IServiceProvider provider)
        => provider.GetRequiredService<ICreditLedger>().GetUsageAsync("acme", DateOnly.FromDateTime(s_now.UtcDateTime), DateOnly.FromDateTime(s_now.UtcDateTime)).AsTask();

    [Fact]
    public async Task Classification_ParsesTheModelsJson_AndRecordsItsTokens()
    {
        var chat = new ScriptedChatClient("Sure! ```json\n{\"intent\": \"Billing\", \"sentiment\": \"negative\", \"priority\": \"High\", \"confidence\": 0.9}\n```");
        await using var provider = await ProviderAsync(chat);

        var classification = await provider.GetRequiredService<IClassificationClient>().ClassifyAsync("You charged me twice!");

        Assert.Equal(new MessageClassification(MessageIntent.Billing, MessageSentiment.Negative, MessagePriority.High, 0.9), classification);
        Assert.Equal(ChatRole.System, chat.Requests[0][0].Role);
        Assert.Equal("You charged me twice!", chat.Requests[0][1].Text);
        var usage = await UsageAsync(provider);
        Assert.Equal(new FeatureUsage(AiFeature.Classification, 1, 1, 42), Assert.Single(usage.ByFeature));
    }

    [Fact]
    public async Task UnusableModelOutput_IsReleased_AndCostsNothing()
    {
        var chat = new ScriptedChatClient("I think it's about billing.");
        await using var provider = await ProviderAsync(chat);

        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.GetRequiredService<IClassificationClient>().ClassifyAsync("You charged me twice!"));

        Assert.Equal(0, (await provider.GetRequiredService<ICreditLedger>().GetBalanceAsync("acme")).Used);
    }

    [Fact]
    public async Task SummaryAndReplies_UseTheModel_OncePerCall()
    {
        var chat = new ScriptedChatClient("Customer cannot export PDFs; escalated.", "Hi Dana, we're on it.", "This is an automated response: we received your message.");
        await using var provider = await ProviderAsync(chat);
        var thread = new Conversation("c", [new("Dana", "The PDF export fails.", true)]);

        Assert.Equal("Customer cannot export PDFs; escalated.", (await provider.GetRequiredService<IConversationSummaryClient>().SummarizeAsync(thread)).Text);
        Assert.Equal("Hi Dana, we're on it.", (await provider.GetRequiredService<IReplySuggestionClient>().SuggestReplyAsync(thread)).Text);
        Assert.StartsWith("This is an automated", (await provider.GetRequiredService<IAutomatedResponseClient>().RespondAsync(thread)).Text, StringComparison.Ordinal);

        Assert.Equal(3, chat.Calls);
        var usage = await UsageAsync(provider);
        Assert.Equal(4, usage.TotalCredits);
        Assert.All(usage.ByFeature, f => Assert.Equal(42, f.Tokens));
    }

    [Fact]
    public async Task GuardedPipeline_ChargesEachCall_WithItsTokens()
    {
        var chat = new ScriptedChatClient("hello");
        await using var provider = await ProviderAsync(chat);
        var client = new ChatClientBuilder(chat).UseCreditGuard(AiFeature.ConversationSummary).Build(provider);

        var response = await client.GetResponseAsync("Summarize: hi");

        Assert.Equal("hello", response.Text);
        Assert.Equal(new FeatureUsage(AiFeature.ConversationSummary, 1, 1, 42), Assert.Single((await UsageAsync(provider)).ByFeature));
    }

    [Fact]
    public async Task GuardedStream_IsChargedOnce_WhenItCompletes()
    {
        var chat = new ScriptedChatClient("one two three four");
        await using var provider = await ProviderAsync(chat);
        var client = new ChatClientBuilder(chat).UseCreditGuard(AiFeature.ReplySuggestion).Build(provider);

        var text = string.Concat(await client.GetStreamingResponseAsync("hi").Select(u => u.Text).ToListAsync());

        Assert.Equal("one two three four ", text);
        Assert.Equal(new FeatureUsage(AiFeature.ReplySuggestion, 1, 1, 42), Assert.Single((await UsageAsync(provider)).ByFeature));
    }

    [Fact]
    public async Task GuardedStream_StoppedAfterItsFirstChunk_IsCharged()
    {
        var chat = new ScriptedChatClient("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty");
        await using var provider = await ProviderAsync(chat);
        var client = new ChatClientBuilder(chat).UseCreditGuard(AiFeature.ConversationSummary).Build(provider);

        var received = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            received.Add(update.Text);
            break;
        }

        Assert.Equal(["one "], received);
        var balance = await provider.GetRequiredService<ICreditLedger>().GetBalanceAsync("acme");
        Assert.Equal((1L, 0L), (balance.Used, balance.Held));
        Assert.Equal(1, Assert.Single((await UsageAsync(provider)).ByFeature).Calls);
    }

    [Fact]
    public async Task GuardedStream_FailingAfterContent_IsCharged_AndTheFailureReachesTheConsumer()
    {
        var chat = new ScriptedChatClient("one two three four") { StreamFailsAfterWords = 2 };
        await using var provider = await ProviderAsync(chat);
        var client = new ChatClientBuilder(chat).UseCreditGuard(AiFeature.ConversationSummary).Build(provider);

        var received = new List<string>();
        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["one ", "two "], received);
        var balance = await provider.GetRequiredService<ICreditLedger>().GetBalanceAsync("acme");
        Assert.Equal((1L, 0L), (balance.Used, balance.Held));
    }

    [Fact]
    public async Task GuardedStream_FailingBeforeAnyContent_IsFree()
    {
        var chat = new ScriptedChatClient("one two three four") { StreamFailsAfterWords = 0 };
        await using var provider = await ProviderAsync(chat);
        var client = new ChatClientBuilder(chat).UseCreditGuard(AiFeature.ConversationSummary).Build(provider);

        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
            }
        });

        var balance = await provider.GetRequiredService<ICreditLedger>().GetBalanceAsync("acme");
        Assert.Equal((0L, 0L), (balance.Used, balance.Held));
        Assert.Empty((await UsageAsync(provider)).ByFeature);
    }

    [Fact]
    public async Task GuardedStream_WhenPaused_Throws_AndNeverCallsTheModel()
    {
        var chat = new ScriptedChatClient("never");
        await using var provider = await ProviderAsync(chat, plan: "Solo");
        var client = new ChatClientBuilder(chat).UseCreditGuard(AiFeature.ReplySuggestion).Build(provider);

        var ex = await Assert.ThrowsAsync<AiPausedException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
            }
        });

        Assert.Equal(CreditDenialReason.PlanExcludesAi, ex.Reason);
        Assert.Equal(0, chat.Calls);
    }
}
