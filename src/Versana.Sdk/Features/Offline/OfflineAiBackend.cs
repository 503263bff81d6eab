using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Versana.Sdk;

/// <summary>
/// The built-in offline AI engine: deterministic, no network, no model. Classification matches word lists;
/// summaries pick the thread's most informative sentences; replies fill templates chosen by the classification.
/// Good enough to demo and test the credit flow end to end — not a language model, and it does not pretend to be.
/// </summary>
/// <remarks>This is a raw backend: calling it directly bypasses the credits. Resolve the feature interfaces from DI instead.</remarks>
public sealed partial class OfflineAiBackend : IAiFeatureBackend
{
    private const int MaxSummarySentences = 3;

    /// <inheritdoc/>
    [RequiresCreditGuard(AiFeatureNames.Classification)]
    public Task<MessageClassification> ClassifyAsync(string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Classify(message));
    }

    /// <inheritdoc/>
    [RequiresCreditGuard(AiFeatureNames.ConversationSummary)]
    public Task<ConversationSummary> SummarizeAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new ConversationSummary(Summarize(conversation), conversation.Messages.Count));
    }

    /// <inheritdoc/>
    [RequiresCreditGuard(AiFeatureNames.ReplySuggestion)]
    public Task<ReplySuggestion> SuggestReplyAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        cancellationToken.ThrowIfCancellationRequested();
        var last = conversation.LastCustomerMessage;
        var classification = last is null ? null : Classify(CustomerSide(conversation));
        return Task.FromResult(new ReplySuggestion(OfflineTemplates.Reply(FirstName(last?.Author), classification), classification));
    }

    /// <inheritdoc/>
    [RequiresCreditGuard(AiFeatureNames.AutomatedResponse)]
    public Task<AutomatedResponse> RespondAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        cancellationToken.ThrowIfCancellationRequested();
        var last = conversation.LastCustomerMessage
            ?? throw new ArgumentException("The conversation has no customer message to respond to.", nameof(conversation));
        var classification = Classify(CustomerSide(conversation));
        var handOff = classification.Priority >= MessagePriority.High
            || classification.Sentiment == MessageSentiment.Negative
            || classification.Intent == MessageIntent.Cancellation;
        return Task.FromResult(new AutomatedResponse(OfflineTemplates.Automated(FirstName(last.Author), classification, handOff), classification, handOff));
    }

    internal static MessageClassification Classify(string message)
    {
        var text = Normalize(message);
        var best = MessageIntent.Other;
        var bestScore = 0;
        var total = 0;
        foreach (var (intent, phrases) in OfflineLexicon.Intents)
        {
            var score = phrases.Count(p => Contains(text, p));
            total += score;

            // Ties go to the earlier (more consequential) intent: an outage outranks a bug report.
            if (score > bestScore)
            {
                best = intent;
                bestScore = score;
            }
        }

        if (best == MessageIntent.Other && message.Contains('?', StringComparison.Ordinal))
        {
            best = MessageIntent.Question;
        }

        var negative = OfflineLexicon.Negative.Count(w => Contains(text, w));
        var mood = OfflineLexicon.Positive.Count(w => Contains(text, w)) - negative;
        var sentiment = mood > 0 ? MessageSentiment.Positive : mood < 0 ? MessageSentiment.Negative : MessageSentiment.Neutral;
        if (best == MessageIntent.Praise)
        {
            // Thanks next to a complaint is politeness; only thanks without one is praise.
            (best, sentiment) = negative > 0 ? (MessageIntent.Other, sentiment) : (best, MessageSentiment.Positive);
        }

        var urgent = OfflineLexicon.Urgent.Any(w => Contains(text, w)) || message.Count(c => c == '!') >= 3;
        var priority = best switch
        {
            MessageIntent.Outage => MessagePriority.Urgent,
            _ when urgent => MessagePriority.Urgent,
            MessageIntent.Billing or MessageIntent.BugReport or MessageIntent.Cancellation when sentiment == MessageSentiment.Negative => MessagePriority.High,
            MessageIntent.Praise => MessagePriority.Low,
            _ => MessagePriority.Normal,
        };

        var confidence = total == 0 ? 0.3 : Math.Round(Math.Min(0.95, 0.5 + (0.5 * bestScore / (total + 1.0))), 2);
        return new MessageClassification(best, sentiment, priority, confidence);
    }

    internal static string Summarize(Conversation conversation)
    {
        var sentences = new List<(int Order, string Author, string Text, bool Lead)>();
        var leadTaken = false;
        foreach (var message in conversation.Messages)
        {
            foreach (var sentence in SentenceSplitter().Split(message.Text))
            {
                var trimmed = sentence.Trim();
                if (trimmed.Length > 0)
                {
                    // The customer's first real sentence usually states the problem (a greeting is not one).
                    var lead = !leadTaken && message.FromCustomer && Words(trimmed).Count() >= 3;
                    leadTaken |= lead;
                    sentences.Add((sentences.Count, message.Author, trimmed, lead));
                }
            }
        }

        if (sentences.Count == 0)
        {
            return "Empty conversation.";
        }

        // Word frequencies over the whole thread: sentences made of frequent content words carry the topic.
        var frequency = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (_, _, text, _) in sentences)
        {
            foreach (var word in Words(text))
            {
                frequency[word] = frequency.GetValueOrDefault(word) + 1;
            }
        }

        var keep = Math.Clamp((sentences.Count + 1) / 3, 1, MaxSummarySentences);
        var chosen = sentences
            .Select(s => (s.Order, s.Author, s.Text, Score: (s.Lead ? 2.0 : 1.0) * Words(s.Text).Sum(w => frequency[w]) / (1.0 + Math.Sqrt(Words(s.Text).Count()))))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Order)
            .Take(keep)
            .OrderBy(s => s.Order);

        var summary = new StringBuilder();
        foreach (var (_, author, text, _) in chosen)
        {
            summary.Append(CultureInfo.InvariantCulture, $"{author}: {Shorten(text)} ");
        }

        return summary.ToString().TrimEnd();
    }

    /// <summary>What the customer said across the thread: a reply answers the thread's topic, not only its last line.</summary>
    internal static string CustomerSide(Conversation conversation)
        => string.Join(" ", conversation.Messages.Where(m => m.FromCustomer).Select(m => m.Text));

    private static IEnumerable<string> Words(string text)
        => WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => w.Length > 2 && !OfflineLexicon.StopWords.Contains(w));

    private static string Shorten(string sentence) => sentence.Length <= 160 ? sentence : string.Concat(sentence.AsSpan(0, 157), "...");

    private static string Normalize(string message) => " " + WhitespacePattern().Replace(message.ToLowerInvariant().Replace('’', '\''), " ") + " ";

    private static bool Contains(string normalized, string phrase)
    {
        for (var index = normalized.IndexOf(phrase, StringComparison.Ordinal); index >= 0; index = normalized.IndexOf(phrase, index + 1, StringComparison.Ordinal))
        {
            var before = normalized[index - 1];
            var afterIndex = index + phrase.Length;
            var after = afterIndex < normalized.Length ? normalized[afterIndex] : ' ';
            if (!char.IsLetterOrDigit(before) && !char.IsLetterOrDigit(after))
            {
                return true;
            }
        }

        return false;
    }

    private static string? FirstName(string? author)
    {
        var name = author?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(name) ? null : name;
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceSplitter();

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();
}
