using System.Text.Json;
using System.Text.Json.Serialization;

namespace Versana.Sdk.Tests.Features;

public sealed class OfflineAiBackendTests
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static TheoryData<string> Corpus()
    {
        var data = new TheoryData<string>();
        foreach (var item in LoadCorpus())
        {
            data.Add(item.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Classify_RealisticSupportMessages(string name)
    {
        var item = LoadCorpus().Single(c => c.Name == name);

        var classification = OfflineAiBackend.Classify(item.Text);

        Assert.Equal((item.Intent, item.Sentiment, item.Priority), (classification.Intent, classification.Sentiment, classification.Priority));
        Assert.InRange(classification.Confidence, 0, 1);
    }

    [Fact]
    public async Task Summary_IsShorterThanTheThread_AndKeepsItsTopic()
    {
        var conversation = new Conversation("c1",
        [
            new("Dana Ruiz", "Hi, since this morning the export to PDF fails with an error. I tried Chrome and Firefox. The export worked fine last week.", true),
            new("Sam (agent)", "Thanks Dana, sorry about that. Does the export fail for every report or only the large ones?", false),
            new("Dana Ruiz", "Every report fails, even the small ones. We need the PDF export for our board meeting on Friday.", true),
            new("Sam (agent)", "Understood. I've reproduced the export error and escalated it to engineering.", false),
            new("Dana Ruiz", "Thank you. Please let me know when the export is fixed.", true),
        ]);

        var summary = await new OfflineAiBackend().SummarizeAsync(conversation);

        Assert.True(summary.Text.Length < conversation.Messages.Sum(m => m.Text.Length), summary.Text);
        Assert.Contains("export", summary.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(5, summary.MessageCount);
        Assert.Equal(summary.Text, (await new OfflineAiBackend().SummarizeAsync(conversation)).Text);
    }

    [Fact]
    public async Task ReplySuggestion_UsesTheClassificationAndTheCustomersName()
    {
        var conversation = new Conversation("c2", [new("Lee Chen", "I was charged twice this month, please refund the extra payment. This is frustrating.", true)]);

        var reply = await new OfflineAiBackend().SuggestReplyAsync(conversation);

        Assert.StartsWith("Hi Lee,", reply.Text, StringComparison.Ordinal);
        Assert.Contains("billing", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("sorry", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(MessageIntent.Billing, reply.Classification!.Intent);
    }

    [Fact]
    public async Task AutomatedResponse_HandsUrgentOrUnhappyCustomersToAPerson()
    {
        var backend = new OfflineAiBackend();

        var outage = await backend.RespondAsync(new Conversation("c3", [new("Ann", "Your site is down and nobody can log in!", true)]));
        var question = await backend.RespondAsync(new Conversation("c4", [new("Bo", "How do I change my email address?", true)]));

        Assert.True(outage.HandOffToAgent);
        Assert.Contains("automated response", outage.Text, StringComparison.Ordinal);
        Assert.False(question.HandOffToAgent);
        Assert.Equal(MessageIntent.Question, question.Classification.Intent);
    }

    private static List<CorpusItem> LoadCorpus()
        => JsonSerializer.Deserialize<List<CorpusItem>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "SupportCorpus.json")), s_json)!;

    private sealed record CorpusItem(string Name, string Text, MessageIntent Intent, MessageSentiment Sentiment, MessagePriority Priority);
}
