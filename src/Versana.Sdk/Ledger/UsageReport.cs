namespace Versana.Sdk;

/// <summary>
/// Credits charged in a range of local days, by feature and by day.
/// </summary>
/// <param name="WorkspaceId">The workspace id.</param>
/// <param name="From">The first local day of the range.</param>
/// <param name="To">The last local day of the range (inclusive).</param>
/// <param name="TotalCredits">The credits charged in the range.</param>
/// <param name="ByFeature">The credits and calls per feature (the "AI performance" section).</param>
/// <param name="ByDay">The credits and calls per day and feature (the usage trend).</param>
public sealed record UsageReport(
    string WorkspaceId,
    DateOnly From,
    DateOnly To,
    long TotalCredits,
    IReadOnlyList<FeatureUsage> ByFeature,
    IReadOnlyList<DailyUsage> ByDay);

/// <summary>Credits charged for one feature.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Credits">The credits charged.</param>
/// <param name="Calls">The number of committed calls.</param>
/// <param name="Tokens">The tokens AI backends reported for those calls (0 when none did).</param>
public sealed record FeatureUsage(AiFeature Feature, long Credits, long Calls, long Tokens = 0);

/// <summary>Credits charged for one feature on one local day.</summary>
/// <param name="Date">The local day.</param>
/// <param name="Feature">The feature.</param>
/// <param name="Credits">The credits charged.</param>
/// <param name="Calls">The number of committed calls.</param>
public sealed record DailyUsage(DateOnly Date, AiFeature Feature, long Credits, long Calls);
