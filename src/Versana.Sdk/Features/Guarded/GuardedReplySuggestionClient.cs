namespace Versana.Sdk;

/// <summary>Drafts replies through the credit guard: each call reserves, runs the backend, and commits or releases.</summary>
[CreditGuardDecorator]
internal sealed class GuardedReplySuggestionClient(IAiFeatureBackend backend, ICreditGuard guard) : IReplySuggestionClient
{
    public Task<ReplySuggestion> SuggestReplyAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return guard.ExecuteAsync(
            AiFeature.ReplySuggestion,
            (_, ct) => new ValueTask<ReplySuggestion>(backend.SuggestReplyAsync(conversation, ct)),
            cancellationToken: cancellationToken).AsTask();
    }
}
