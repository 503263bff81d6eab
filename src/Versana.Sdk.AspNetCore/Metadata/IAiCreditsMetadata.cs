namespace Versana.Sdk.AspNetCore;

/// <summary>Endpoint metadata: the endpoint spends an AI feature and is paid for with workspace credits.</summary>
public interface IAiCreditsMetadata
{
    /// <summary>Gets the feature the endpoint spends.</summary>
    AiFeature Feature { get; }

    /// <summary>Gets the credits to reserve, or <see langword="null"/> for the feature's configured cost.</summary>
    long? Credits { get; }
}
