namespace Versana.Sdk;

/// <summary>
/// The settings a workspace is created with.
/// </summary>
/// <param name="WorkspaceId">The workspace id: 1 to 64 letters, digits, '-', '_' or '.'.</param>
/// <param name="Plan">The plan name, from <see cref="CreditLedgerOptions.Plans"/>.</param>
public sealed record WorkspaceSettings(string WorkspaceId, string Plan)
{
    /// <summary>Gets the IANA time zone whose calendar months are the billing periods; <see langword="null"/> uses <see cref="CreditLedgerOptions.DefaultTimeZoneId"/>.</summary>
    public string? TimeZoneId { get; init; }

    /// <summary>Gets a value indicating whether automated responses are activated. Default: off.</summary>
    public bool AutomationEnabled { get; init; }

    /// <summary>Gets per-feature costs that override <see cref="CreditLedgerOptions.Costs"/> for this workspace, or register custom features.</summary>
    public IReadOnlyDictionary<AiFeature, long>? Costs { get; init; }
}
