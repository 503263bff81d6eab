namespace Versana.Sdk;

/// <summary>Summarises conversations through the credit guard: each call reserves, runs the backend, and commits or releases.</summary>
[CreditGuardDecorator]
internal sealed class GuardedConversationSummaryClient(IAiFeatureBackend backend, ICreditGuard guard) : IConversationSummaryClient
{
    public Task<ConversationSummary> SummarizeAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return guard.ExecuteAsync(
            AiFeature.ConversationSummary,
            (_, ct) => new ValueTask<ConversationSummary>(backend.SummarizeAsync(conversation, ct)),
            cancellationToken: cancellationToken).AsTask();
    }
}
