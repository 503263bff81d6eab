namespace Versana.Sdk.AspNetCore;

/// <summary>Everything the dashboard page shows for one workspace, in one reply.</summary>
/// <param name="Balance">The balance now.</param>
/// <param name="Today">Today in the workspace's time zone.</param>
/// <param name="Usage">Usage of the period so far, by feature and by day.</param>
/// <param name="Thresholds">The usage thresholds and whether this period reached each.</param>
/// <param name="Forecast">When the pool runs out at the recent burn rate.</param>
/// <param name="BoostPackSizes">The boost packs on offer, in credits.</param>
internal sealed record DashboardSummary(
    CreditBalance Balance,
    DateOnly Today,
    UsageReport Usage,
    IReadOnlyList<ThresholdState> Thresholds,
    UsageForecast Forecast,
    IReadOnlyList<long> BoostPackSizes);

/// <summary>A usage threshold (percent of the allocation) and whether it was reached.</summary>
internal sealed record ThresholdState(int Percent, bool Reached);
