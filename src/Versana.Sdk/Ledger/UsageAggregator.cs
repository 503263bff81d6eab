namespace Versana.Sdk;

/// <summary>Sums committed entries into the usage report: by feature, and by local day and feature.</summary>
internal static class UsageAggregator
{
    public static UsageReport Aggregate(string workspaceId, DateOnly from, DateOnly to, TimeZoneInfo timeZone, IReadOnlyList<LedgerEntry> commits)
    {
        var byFeature = new Dictionary<AiFeature, (long Credits, long Calls, long Tokens)>();
        var byDay = new Dictionary<(DateOnly, AiFeature), (long Credits, long Calls)>();
        long total = 0;
        foreach (var entry in commits)
        {
            if (entry.Kind != LedgerEntryKind.Committed || entry.Feature is not { } feature)
            {
                continue;
            }

            var day = BillingCalendar.GetLocalDate(entry.At, timeZone);
            if (day < from || day > to)
            {
                continue;
            }

            total += entry.Credits;
            var f = byFeature.GetValueOrDefault(feature);
            byFeature[feature] = (f.Credits + entry.Credits, f.Calls + 1, f.Tokens + (entry.Tokens ?? 0));
            var d = byDay.GetValueOrDefault((day, feature));
            byDay[(day, feature)] = (d.Credits + entry.Credits, d.Calls + 1);
        }

        return new UsageReport(
            workspaceId,
            from,
            to,
            total,
            [.. byFeature.OrderByDescending(p => p.Value.Credits).ThenBy(p => p.Key.Name, StringComparer.Ordinal).Select(p => new FeatureUsage(p.Key, p.Value.Credits, p.Value.Calls, p.Value.Tokens))],
            [.. byDay.OrderBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2.Name, StringComparer.Ordinal).Select(p => new DailyUsage(p.Key.Item1, p.Key.Item2, p.Value.Credits, p.Value.Calls))]);
    }
}
