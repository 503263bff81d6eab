using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Versana.Sdk;

/// <summary>
/// An AI backend over any <see cref="IChatClient"/> (OpenAI, Azure, Ollama, ...): one prompt per feature, and
/// the tokens the model reports are recorded on the usage entry of the guarded call.
/// </summary>
/// <remarks>This is a raw backend: calling it directly bypasses the credits. Resolve the feature interfaces from DI instead.</remarks>
/// <param name="chatClient">The chat client.</param>
/// <param name="options">The prompts, or <see langword="null"/> for the defaults.</param>
public sealed class ChatClientAiBackend(IChatClient chatClient, ChatClientBackendOptions? options = null) : IAiFeatureBackend
{
    private readonly IChatClient _chatClient = chatClient ?? throw new ArgumentNullException(nameof(chatClient));
    private readonly ChatClientBackendOptions _options = options ?? new ChatClientBackendOptions();

    /// <inheritdoc/>
    [RequiresCreditGuard(AiFeatureNames.ReplySuggestion)]
    public async Task<ReplySuggestion> SuggestReplyAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var text = await AskAsync(_options.ReplySuggestionPrompt, Render(conversation), cancellationToken).ConfigureAwait(false);
        return new ReplySuggestion(text, null);
    }

    /// <inheritdoc/>
    [RequiresCreditGuard(AiFeatureNames.ConversationSummary)]
    public async Task<ConversationSummary> SummarizeAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var text = await AskAsync(_options.ConversationSummaryPrompt, Render(conversation), cancellationToken).ConfigureAwait(false);
        return new ConversationSummary(text, conversation.Messages.Count);
    }

    /// <inheritdoc/>
    [RequiresCreditGuard(AiFeatureNames.AutomatedResponse)]
    public async Task<AutomatedResponse> RespondAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (conversation.LastCustomerMessage is null)
        {
            throw new ArgumentException("The conversation has no customer message to respond to.", nameof(conversation));
        }

        var text = await AskAsync(_options.AutomatedResponsePrompt, Render(conversation), cancellationToken).ConfigureAwait(false);

        // The hand-off decision uses the free local classifier, so one automated response is one model call.
        var classification = OfflineAiBackend.Classify(OfflineAiBackend.CustomerSide(conversation));
        var handOff = classification.Priority >= MessagePriority.High || classification.Sentiment == MessageSentiment.Negative || classification.Intent == MessageIntent.Cancellation;
        return new AutomatedResponse(text, classification, handOff);
    }

    /// <inheritdoc/>
    [RequiresCreditGuard(AiFeatureNames.Classification)]
    public async Task<MessageClassification> ClassifyAsync(string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var json = await AskAsync(_options.ClassificationPrompt, message, cancellationToken).ConfigureAwait(false);
        return ParseClassification(json);
    }

    internal static MessageClassification ParseClassification(string json)
    {
        // Models often wrap JSON in prose or code fences: read the outermost object.
        var start = json.IndexOf('{', StringComparison.Ordinal);
        var end = json.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            throw new InvalidOperationException("The model's classification was not a JSON object; the call is released and costs nothing.");
        }

        using var document = JsonDocument.Parse(json.AsMemory(start, end - start + 1));
        var root = document.RootElement;
        return new MessageClassification(
            Enum<MessageIntent>(root, "intent"),
            Enum<MessageSentiment>(root, "sentiment"),
            Enum<MessagePriority>(root, "priority"),
            root.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number ? Math.Clamp(c.GetDouble(), 0, 1) : 0.5);
    }

    private static T Enum<T>(JsonElement root, string name)
        where T : struct, Enum
        => root.TryGetProperty(name, out var value) && System.Enum.TryParse<T>(value.GetString(), ignoreCase: true, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"The model's classification has no valid '{name}'; the call is released and costs nothing.");

    private static string Render(Conversation conversation)
    {
        var text = new StringBuilder();
        foreach (var message in conversation.Messages)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(message.FromCustomer ? "Customer" : "Agent")} ({message.Author}): {message.Text}\n");
        }

        return text.ToString();
    }

    private async Task<string> AskAsync(string systemPrompt, string content, CancellationToken cancellationToken)
    {
        var response = await _chatClient.GetResponseAsync(
            [new ChatMessage(ChatRole.System, systemPrompt), new ChatMessage(ChatRole.User, content)],
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (GuardScope.Current is { } context && response.Usage?.TotalTokenCount is { } tokens)
        {
            context.TokensUsed = (context.TokensUsed ?? 0) + tokens;
        }

        return response.Text.Trim();
    }
}
