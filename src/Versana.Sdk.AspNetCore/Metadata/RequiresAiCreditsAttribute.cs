namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Marks a controller or action as spending an AI feature: the credit guard middleware reserves its cost before
/// the action runs, commits it when the response is a success and releases it otherwise.
/// </summary>
/// <param name="feature">The feature name, as in <see cref="AiFeature.Name"/> (see <see cref="AiFeatureNames"/>).</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
public sealed class RequiresAiCreditsAttribute(string feature) : Attribute, IAiCreditsMetadata
{
    /// <inheritdoc/>
    public AiFeature Feature { get; } = new(feature);

    /// <inheritdoc/>
    long? IAiCreditsMetadata.Credits => null;
}
