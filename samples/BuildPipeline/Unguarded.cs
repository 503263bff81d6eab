using Versana.Sdk;

internal static partial class Summaries
{
    // Spends AI the workspace pays for without reserving, charging or respecting a pause: VCX0001.
    public static Task<ConversationSummary> UnguardedAsync(IAiFeatureBackend backend, Conversation thread)
        => backend.SummarizeAsync(thread);
}
