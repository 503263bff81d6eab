namespace Versana.Sdk.Ledger.Storage;

/// <summary>The stored counters of a workspace account (open reservations are stored apart).</summary>
internal sealed record AccountSnapshot(
    string Id,
    string Plan,
    string? PendingPlan,
    string TimeZoneId,
    bool AutomationEnabled,
    IReadOnlyDictionary<string, long>? CostOverrides,
    DateTimeOffset CreatedAt,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    long Allocation,
    long Used,
    long HeldMonthly,
    int[] ThresholdsCrossed,
    BoostSnapshot[] Boosts,
    long LastSequence);

/// <summary>The stored state of one boost pack.</summary>
internal sealed record BoostSnapshot(
    string Id,
    string IdempotencyKey,
    long Credits,
    long Remaining,
    long Held,
    DateTimeOffset PurchasedAt,
    DateTimeOffset? ExpiresAt,
    bool Expired);
