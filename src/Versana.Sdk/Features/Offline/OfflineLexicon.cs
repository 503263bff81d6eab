namespace Versana.Sdk;

/// <summary>The offline classifier's word lists. Phrases match on word boundaries, case-insensitively.</summary>
internal static class OfflineLexicon
{
    public static readonly (MessageIntent Intent, string[] Phrases)[] Intents =
    [
        (MessageIntent.Outage, ["outage", "is down", "are down", "site down", "service down", "unavailable", "can't access", "cannot access", "can't log in", "cannot log in", "not loading", "nobody can", "none of our", "all users", "everyone", "502", "503", "500 error"]),
        (MessageIntent.Cancellation, ["cancel", "cancellation", "close my account", "close our account", "delete my account", "unsubscribe", "terminate", "stop my subscription", "switching to", "leave"]),
        (MessageIntent.Billing, ["invoice", "charged", "charge", "refund", "payment", "billing", "bill", "credit card", "receipt", "overcharged", "price", "pricing", "subscription fee", "vat"]),
        (MessageIntent.BugReport, ["bug", "error", "crash", "crashes", "broken", "doesn't work", "does not work", "not working", "exception", "fails", "failing", "glitch", "wrong", "stuck"]),
        (MessageIntent.Praise, ["thank you", "thanks", "love", "great job", "awesome", "amazing", "excellent", "fantastic", "brilliant", "well done", "appreciate"]),
        (MessageIntent.Question, ["how do", "how can", "how to", "what is", "where can", "is there a way", "can i", "could you tell"]),
    ];

    // Bare "thanks" is politeness, not a mood: it opens angry messages as often as happy ones.
    public static readonly string[] Positive = ["thank you so much", "love", "great", "awesome", "amazing", "excellent", "happy", "appreciate", "fantastic", "brilliant", "perfect", "helpful"];

    public static readonly string[] Negative = ["angry", "frustrated", "frustrating", "terrible", "worst", "unacceptable", "disappointed", "annoyed", "ridiculous", "furious", "awful", "useless", "again", "still", "horrible", "fed up", "broken", "losing"];

    public static readonly string[] Urgent = ["urgent", "asap", "immediately", "emergency", "critical", "right now", "production", "losing money", "losing customers"];

    public static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "and", "or", "but", "if", "to", "of", "in", "on", "for", "with", "at", "by", "from", "is", "are", "was", "were", "be", "been",
        "it", "its", "this", "that", "these", "those", "i", "we", "you", "he", "she", "they", "me", "us", "my", "our", "your", "their", "have", "has",
        "had", "do", "does", "did", "not", "no", "so", "as", "can", "could", "would", "should", "will", "just", "there", "here", "what", "when", "hi",
        "hello", "thanks", "please", "am", "im", "i'm", "it's", "about", "any", "all", "some", "up", "out", "get", "got",
    };
}
