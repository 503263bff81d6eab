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
    ReservationSnapshot[] Open,
    long LastSequence,
    LeaseSnapshot[]? Leases = null);

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

/// <summary>The stored state of one reservation: open ones inside the account, completed ones on their own.</summary>
internal sealed record ReservationSnapshot(
    string Id,
    string IdempotencyKey,
    AiFeature Feature,
    long Credits,
    CreditPart[] Parts,
    DateTimeOffset PeriodStart,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? Actor,
    ReservationStatus Status,
    long? CommittedCredits,
    DateTimeOffset? CompletedAt);
