namespace Versana.Sdk;

/// <summary>Sends automated responses through the credit guard: each call reserves, runs the backend, and commits or releases.</summary>
[CreditGuardDecorator]
internal sealed class GuardedAutomatedResponseClient(IAiFeatureBackend backend, ICreditGuard guard) : IAutomatedResponseClient
{
    public Task<AutomatedResponse> RespondAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return guard.ExecuteAsync(
            AiFeature.AutomatedResponse,
            (_, ct) => new ValueTask<AutomatedResponse>(backend.RespondAsync(conversation, ct)),
            cancellationToken: cancellationToken).AsTask();
    }
}
