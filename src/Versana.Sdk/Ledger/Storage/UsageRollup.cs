using System.Text.Json;
using Versana.Sdk.Rules;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>One row of the daily usage rollup: a feature's commits on one local day of the workspace.</summary>
/// <param name="Date">The local day, in the workspace's time zone.</param>
/// <param name="Feature">The feature.</param>
/// <param name="Credits">The credits charged.</param>
/// <param name="Calls">The committed calls.</param>
/// <param name="Tokens">The tokens AI backends reported for them.</param>
internal readonly record struct DailyUsageRow(DateOnly Date, AiFeature Feature, long Credits, long Calls, long Tokens)
{
    public DailyUsageRow Plus(DailyUsageRow other) => this with { Credits = Credits + other.Credits, Calls = Calls + other.Calls, Tokens = Tokens + other.Tokens };
}

/// <summary>
/// The daily usage rollup every store keeps beside the audit trail, in the same transaction as each commit, so a usage
/// report reads a row per day and feature instead of every commit of its range.
/// </summary>
internal static class UsageRollup
{
    /// <summary>Gets the row a committed entry adds to the rollup, or <see langword="null"/> for any other entry.</summary>
    public static DailyUsageRow? RowOf(AccountState account, LedgerEntry entry)
        => entry is { Kind: LedgerEntryKind.Committed, Feature: { } feature }
            ? new DailyUsageRow(BillingCalendar.GetLocalDate(entry.At, account.TimeZone), feature, entry.Credits, 1, entry.Tokens ?? 0)
            : null;

    /// <summary>
    /// The rollup of a trail written before the rollup existed (a schema migration): each workspace's commits on its
    /// local days, from the stored workspace states and committed entries as JSON.
    /// </summary>
    public static IReadOnlyList<(string WorkspaceId, DailyUsageRow Row)> FromTrail(
        IEnumerable<(string Id, string State)> workspaces,
        IEnumerable<(string WorkspaceId, string Entry)> commits)
    {
        var accounts = workspaces.ToDictionary(w => w.Id, w => JsonSerializer.Deserialize(w.State, StorageJsonContext.Default.AccountState)!, StringComparer.Ordinal);
        var rows = new List<(string, DailyUsageRow)>();
        foreach (var (workspaceId, json) in commits)
        {
            var entry = JsonSerializer.Deserialize(json, StorageJsonContext.Default.LedgerEntry)!;
            if (accounts.TryGetValue(workspaceId, out var account) && RowOf(account, entry) is { } row)
            {
                rows.Add((workspaceId, row));
            }
        }

        return Collapse(rows);
    }

    /// <summary>Sums the rows of the same day and feature, so one statement upserts each key once.</summary>
    public static IReadOnlyList<(string WorkspaceId, DailyUsageRow Row)> Collapse(IEnumerable<(string WorkspaceId, DailyUsageRow Row)> rows)
    {
        var sums = new Dictionary<(string, DateOnly, AiFeature), DailyUsageRow>();
        foreach (var (workspaceId, row) in rows)
        {
            var key = (workspaceId, row.Date, row.Feature);
            sums[key] = sums.TryGetValue(key, out var sum) ? sum.Plus(row) : row;
        }

        return [.. sums.Select(p => (p.Key.Item1, p.Value))];
    }
}
