using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk;

/// <summary>Sums the daily usage rollup into the usage report: by feature, and by local day and feature.</summary>
internal static class UsageAggregator
{
    public static UsageReport Aggregate(string workspaceId, DateOnly from, DateOnly to, IReadOnlyList<DailyUsageRow> days)
    {
        var byFeature = new Dictionary<AiFeature, DailyUsageRow>();
        long total = 0;
        foreach (var day in days)
        {
            total += day.Credits;
            byFeature[day.Feature] = byFeature.TryGetValue(day.Feature, out var sum) ? sum.Plus(day) : day;
        }

        return new UsageReport(
            workspaceId,
            from,
            to,
            total,
            [.. byFeature.Values.OrderByDescending(f => f.Credits).ThenBy(f => f.Feature.Name, StringComparer.Ordinal).Select(f => new FeatureUsage(f.Feature, f.Credits, f.Calls, f.Tokens))],
            [.. days.OrderBy(d => d.Date).ThenBy(d => d.Feature.Name, StringComparer.Ordinal).Select(d => new DailyUsage(d.Date, d.Feature, d.Credits, d.Calls))]);
    }
}
