namespace Versana.Sdk.Ledger.Storage;

/// <summary>Lists the differences between a stored account and one rebuilt from the audit entries.</summary>
internal static class AccountComparer
{
    public static IReadOnlyList<string> Compare(WorkspaceAccount stored, WorkspaceAccount replayed)
    {
        var differences = new List<string>();
        void Check<T>(string name, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                differences.Add($"{name}: stored {a}, replayed {b}");
            }
        }

        Check("Plan", stored.Plan, replayed.Plan);
        Check("PendingPlan", stored.PendingPlan, replayed.PendingPlan);
        Check("TimeZoneId", stored.TimeZoneId, replayed.TimeZoneId);
        Check("AutomationEnabled", stored.AutomationEnabled, replayed.AutomationEnabled);
        Check("PeriodStart", stored.PeriodStart, replayed.PeriodStart);
        Check("PeriodEnd", stored.PeriodEnd, replayed.PeriodEnd);
        Check("Allocation", stored.Allocation, replayed.Allocation);
        Check("Used", stored.Used, replayed.Used);
        Check("HeldMonthly", stored.HeldMonthly, replayed.HeldMonthly);
        Check("LastSequence", stored.LastSequence, replayed.LastSequence);
        Check("Thresholds", string.Join(",", stored.ThresholdsCrossed.Order()), string.Join(",", replayed.ThresholdsCrossed.Order()));
        Check("Costs", Describe(stored.CostOverrides), Describe(replayed.CostOverrides));
        Check("Boosts", string.Join(";", stored.Boosts.Select(Describe)), string.Join(";", replayed.Boosts.Select(Describe)));
        Check("Open", string.Join(";", stored.Open.Values.OrderBy(r => r.Id, StringComparer.Ordinal).Select(Describe)), string.Join(";", replayed.Open.Values.OrderBy(r => r.Id, StringComparer.Ordinal).Select(Describe)));
        Check("Leases", string.Join(";", stored.Leases.Values.OrderBy(l => l.Id, StringComparer.Ordinal).Select(Describe)), string.Join(";", replayed.Leases.Values.OrderBy(l => l.Id, StringComparer.Ordinal).Select(Describe)));
        return differences;
    }

    private static string Describe(CreditLease l) => $"{l.Id}:{string.Join("+", l.Parts.Select(p => $"{p.Bucket}={p.Credits}"))}:{l.PeriodStart:O}:{l.ExpiresAt:O}";

    private static string Describe(Dictionary<string, long>? costs)
        => costs is null ? string.Empty : string.Join(",", costs.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => $"{p.Key}={p.Value}"));

    private static string Describe(BoostGrant b) => $"{b.Id}:{b.Credits}/{b.Remaining}/{b.Held}/{b.Expired}";

    private static string Describe(Reservation r) => $"{r.Id}:{r.Feature}:{r.Credits}:{string.Join("+", r.Parts.Select(p => $"{p.Bucket}={p.Credits}"))}:{r.PeriodStart:O}:{r.ExpiresAt:O}";
}
