using System.Diagnostics.CodeAnalysis;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// A <see cref="LedgerEntry"/> as the decisions make it and the stores take it: the same members, as a value.
/// </summary>
/// <remarks>
/// Every reserve and commit appends one entry. The in-memory store keeps entries as rows and builds objects only
/// when they are read, so an object per decision was ~250 B of garbage that existed only to be taken apart (a
/// fifth of a guarded call's allocations). Stores that persist the entry as it is make the object themselves
/// (<see cref="ToEntry"/>). Passed by <see langword="in"/>: it is the size of the object it replaces.
/// </remarks>
internal readonly struct LedgerEntryValue
{
    [SetsRequiredMembers]
    public LedgerEntryValue(string workspaceId, long sequence, DateTimeOffset at, LedgerEntryKind kind)
    {
        WorkspaceId = workspaceId;
        Sequence = sequence;
        At = at;
        Kind = kind;
    }

    public required string WorkspaceId { get; init; }

    public required long Sequence { get; init; }

    public required DateTimeOffset At { get; init; }

    public required LedgerEntryKind Kind { get; init; }

    public long Credits { get; init; }

    public IReadOnlyList<CreditPart>? Parts { get; init; }

    public string? ReservationId { get; init; }

    public string? LeaseId { get; init; }

    public string? BoostId { get; init; }

    public string? IdempotencyKey { get; init; }

    public AiFeature? Feature { get; init; }

    public string? Actor { get; init; }

    public string? Plan { get; init; }

    public DateTimeOffset? PeriodStart { get; init; }

    public DateTimeOffset? PeriodEnd { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public bool? AutomationEnabled { get; init; }

    public string? TimeZoneId { get; init; }

    public IReadOnlyDictionary<string, long>? Costs { get; init; }

    public long? Tokens { get; init; }

    public int? Percent { get; init; }

    /// <summary>The value of an entry read back (replay, tests).</summary>
    public static LedgerEntryValue From(LedgerEntry entry) => new(entry.WorkspaceId, entry.Sequence, entry.At, entry.Kind)
    {
        Credits = entry.Credits,
        Parts = entry.Parts,
        ReservationId = entry.ReservationId,
        LeaseId = entry.LeaseId,
        BoostId = entry.BoostId,
        IdempotencyKey = entry.IdempotencyKey,
        Feature = entry.Feature,
        Actor = entry.Actor,
        Plan = entry.Plan,
        PeriodStart = entry.PeriodStart,
        PeriodEnd = entry.PeriodEnd,
        ExpiresAt = entry.ExpiresAt,
        AutomationEnabled = entry.AutomationEnabled,
        TimeZoneId = entry.TimeZoneId,
        Costs = entry.Costs,
        Tokens = entry.Tokens,
        Percent = entry.Percent,
    };

    /// <summary>The public entry, for stores that keep or write it whole.</summary>
    public LedgerEntry ToEntry() => new(WorkspaceId, Sequence, At, Kind)
    {
        Credits = Credits,
        Parts = Parts,
        ReservationId = ReservationId,
        LeaseId = LeaseId,
        BoostId = BoostId,
        IdempotencyKey = IdempotencyKey,
        Feature = Feature,
        Actor = Actor,
        Plan = Plan,
        PeriodStart = PeriodStart,
        PeriodEnd = PeriodEnd,
        ExpiresAt = ExpiresAt,
        AutomationEnabled = AutomationEnabled,
        TimeZoneId = TimeZoneId,
        Costs = Costs,
        Tokens = Tokens,
        Percent = Percent,
    };
}
