using System.Collections.Immutable;

namespace Versana.Sdk.Rules;

/// <summary>
/// One workspace's pool as the rules see it: immutable, and changed only by <see cref="CreditRules.Apply"/>, so the
/// state a store keeps and the state a replay of the audit entries rebuilds come from the same code.
/// </summary>
/// <remarks>Open reservations are not part of it: their credits are counted in <see cref="HeldMonthly"/> and the packs' <see cref="BoostPack.Held"/>.</remarks>
internal sealed record AccountState
{
    public required string Id { get; init; }

    public required string Plan { get; init; }

    public string? PendingPlan { get; init; }

    public required string TimeZoneId { get; init; }

    public bool AutomationEnabled { get; init; }

    /// <summary>Gets the workspace's own feature costs (feature name, case-insensitive, to credits); empty for the ledger's defaults.</summary>
    public ImmutableDictionary<string, long> Costs { get; init; } = ImmutableDictionary<string, long>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset PeriodStart { get; init; }

    public DateTimeOffset PeriodEnd { get; init; }

    public long Allocation { get; init; }

    /// <summary>Gets the credits of the current period's allocation committed.</summary>
    public long Used { get; init; }

    /// <summary>Gets the credits of the current period's allocation held by open reservations.</summary>
    public long HeldMonthly { get; init; }

    /// <summary>Gets the boost packs, in purchase order.</summary>
    public ImmutableArray<BoostPack> Boosts { get; init; } = [];

    /// <summary>Gets the usage thresholds (percent of the allocation) already raised this period.</summary>
    public ImmutableSortedSet<int> ThresholdsCrossed { get; init; } = [];

    public long LastSequence { get; init; }

    public TimeZoneInfo TimeZone => BillingCalendar.FindTimeZone(TimeZoneId);

    public long HeldBoost => SumOfBoosts(static b => b.Held);

    /// <summary>
    /// Gets the boost credits not yet charged: all of a live pack's, and the held ones of a lapsed pack, which stay
    /// with their reservations (so available = monthly remaining + boost remaining − held, whatever lapsed).
    /// </summary>
    public long BoostRemaining => SumOfBoosts(static b => b.Expired ? b.Held : b.Remaining);

    /// <summary>Gets the allocation a new hold can take.</summary>
    public long MonthlyFree => Math.Max(0, Allocation - Used - HeldMonthly);

    /// <summary>Gets the credits a new hold can take; never below zero.</summary>
    public long Available => MonthlyFree + SumOfBoosts(static b => b.Free);

    // Enumerable.Sum would box the immutable array on every call; these run in every decision.
    private long SumOfBoosts(Func<BoostPack, long> credits)
    {
        var sum = 0L;
        foreach (var boost in Boosts)
        {
            sum += credits(boost);
        }

        return sum;
    }

    /// <summary>Lists what differs from <paramref name="other"/>, member by member (collections by content).</summary>
    public IReadOnlyList<string> DifferencesFrom(AccountState other)
    {
        var differences = new List<string>();
        void Check<T>(string name, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                differences.Add($"{name}: stored {a}, replayed {b}");
            }
        }

        Check(nameof(Plan), Plan, other.Plan);
        Check(nameof(PendingPlan), PendingPlan, other.PendingPlan);
        Check(nameof(TimeZoneId), TimeZoneId, other.TimeZoneId);
        Check(nameof(AutomationEnabled), AutomationEnabled, other.AutomationEnabled);
        Check(nameof(Costs), Describe(Costs), Describe(other.Costs));
        Check(nameof(PeriodStart), PeriodStart, other.PeriodStart);
        Check(nameof(PeriodEnd), PeriodEnd, other.PeriodEnd);
        Check(nameof(Allocation), Allocation, other.Allocation);
        Check(nameof(Used), Used, other.Used);
        Check(nameof(HeldMonthly), HeldMonthly, other.HeldMonthly);
        Check(nameof(Boosts), string.Join(";", Boosts), string.Join(";", other.Boosts));
        Check(nameof(ThresholdsCrossed), string.Join(",", ThresholdsCrossed), string.Join(",", other.ThresholdsCrossed));
        Check(nameof(LastSequence), LastSequence, other.LastSequence);
        return differences;

        static string Describe(ImmutableDictionary<string, long> costs)
            => string.Join(",", costs.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => $"{p.Key}={p.Value}"));
    }
}

/// <summary>A bought boost pack.</summary>
/// <param name="Id">The pack's id, its bucket name in credit parts.</param>
/// <param name="IdempotencyKey">The purchase's key: a retried purchase finds the pack instead of buying another.</param>
/// <param name="Credits">The credits bought.</param>
/// <param name="Remaining">The credits not yet charged, held ones included.</param>
/// <param name="Held">The credits held by open reservations.</param>
/// <param name="PurchasedAt">When it was bought.</param>
/// <param name="ExpiresAt">When its free credits lapse, if ever.</param>
/// <param name="Expired">Whether its free credits lapsed.</param>
internal sealed record BoostPack(string Id, string IdempotencyKey, long Credits, long Remaining, long Held, DateTimeOffset PurchasedAt, DateTimeOffset? ExpiresAt, bool Expired)
{
    public long Free => Expired ? 0 : Remaining - Held;
}
