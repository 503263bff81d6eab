namespace Versana.Sdk.AspNetCore;

/// <summary>The metadata <c>RequireAiCredits</c> adds.</summary>
internal sealed record AiCreditsMetadata(AiFeature Feature, long? Credits) : IAiCreditsMetadata;

/// <summary>Endpoint metadata that turns the credit guard off for an endpoint.</summary>
public interface IDisableCreditGuardMetadata;

/// <summary>Turns the credit guard off for a controller or action.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class DisableCreditGuardAttribute : Attribute, IDisableCreditGuardMetadata;
