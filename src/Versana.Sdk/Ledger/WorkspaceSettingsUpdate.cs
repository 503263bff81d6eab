namespace Versana.Sdk;

/// <summary>
/// A change to a workspace's settings; <see langword="null"/> members are left as they are.
/// </summary>
/// <remarks>The time zone is fixed when the workspace is created, so a billing period never changes length mid-way.</remarks>
public sealed record WorkspaceSettingsUpdate
{
    /// <summary>Gets whether automated responses are activated, or <see langword="null"/> to leave it.</summary>
    public bool? AutomationEnabled { get; init; }

    /// <summary>Gets the workspace's per-feature cost overrides (replacing the previous ones), or <see langword="null"/> to leave them.</summary>
    public IReadOnlyDictionary<AiFeature, long>? Costs { get; init; }
}
