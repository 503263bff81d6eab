namespace Versana.Sdk;

/// <summary>Classifies messages through the credit guard: each call reserves, runs the backend, and commits or releases.</summary>
[CreditGuardDecorator]
internal sealed class GuardedClassificationClient(IAiFeatureBackend backend, ICreditGuard guard) : IClassificationClient
{
    public Task<MessageClassification> ClassifyAsync(string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return guard.ExecuteAsync(
            AiFeature.Classification,
            (_, ct) => new ValueTask<MessageClassification>(backend.ClassifyAsync(message, ct)),
            cancellationToken: cancellationToken).AsTask();
    }
}
