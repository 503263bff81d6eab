using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Versana.Sdk;

/// <summary>
/// An immutable audit entry. The workspace's balance can be rebuilt by replaying its entries in order.
/// </summary>
/// <remarks>Only the members that concern <see cref="Kind"/> are set; entries never hold AI content.</remarks>
public sealed record LedgerEntry
{
    /// <summary>Initializes a new instance of the <see cref="LedgerEntry"/> class.</summary>
    [JsonConstructor]
    public LedgerEntry()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LedgerEntry"/> class with the members every entry has.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="sequence">The entry's position in the workspace's ledger.</param>
    /// <param name="at">When the change happened.</param>
    /// <param name="kind">The kind of change.</param>
    [SetsRequiredMembers]
    public LedgerEntry(string workspaceId, long sequence, DateTimeOffset at, LedgerEntryKind kind)
    {
        WorkspaceId = workspaceId;
        Sequence = sequence;
        At = at;
        Kind = kind;
    }

    /// <summary>Gets the workspace id.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>Gets the entry's position in the workspace's ledger, from 1 without gaps.</summary>
    public required long Sequence { get; init; }

    /// <summary>Gets when the change happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets the kind of change.</summary>
    public required LedgerEntryKind Kind { get; init; }

    /// <summary>Gets the credits the entry concerns (held, charged, returned, granted, bought or lapsed).</summary>
    public long Credits { get; init; }

    /// <summary>Gets the buckets the credits came from or went to.</summary>
    public IReadOnlyList<CreditPart>? Parts { get; init; }

    /// <summary>Gets the reservation concerned.</summary>
    public string? ReservationId { get; init; }

    /// <summary>Gets the held credits a commit gave back, by bucket, because the action cost less than it reserved.</summary>
    public IReadOnlyList<CreditPart>? Returned { get; init; }

    /// <summary>Gets the boost pack concerned.</summary>
    public string? BoostId { get; init; }

    /// <summary>Gets the idempotency key of the request that made the change.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets the AI feature concerned.</summary>
    public AiFeature? Feature { get; init; }

    /// <summary>Gets the actor recorded for reporting.</summary>
    public string? Actor { get; init; }

    /// <summary>Gets the plan (created, changed to, or scheduled).</summary>
    public string? Plan { get; init; }

    /// <summary>Gets the billing period start the entry belongs to (reservations and period grants).</summary>
    public DateTimeOffset? PeriodStart { get; init; }

    /// <summary>Gets the billing period end (period grants).</summary>
    public DateTimeOffset? PeriodEnd { get; init; }

    /// <summary>Gets an expiry instant (reservations and boost packs).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets the automation switch (creation and settings changes).</summary>
    public bool? AutomationEnabled { get; init; }

    /// <summary>Gets the time zone id (creation).</summary>
    public string? TimeZoneId { get; init; }

    /// <summary>Gets the per-feature cost overrides (creation and settings changes).</summary>
    public IReadOnlyDictionary<string, long>? Costs { get; init; }

    /// <summary>Gets the tokens the AI backend reported for a committed action, when known.</summary>
    public long? Tokens { get; init; }

    /// <summary>Gets the threshold crossed, in percent of the allocation.</summary>
    public int? Percent { get; init; }

    /// <summary>Compares two entries member by member, the credit parts and costs by content.</summary>
    /// <param name="other">The entry to compare with.</param>
    /// <returns><see langword="true"/> when every member is equal.</returns>
    /// <remarks>
    /// Entries read from a store or over the wire are new objects each time; comparing their lists by reference
    /// would make two reads of the same entry differ.
    /// </remarks>
    public bool Equals(LedgerEntry? other)
        => other is not null
            && string.Equals(WorkspaceId, other.WorkspaceId, StringComparison.Ordinal)
            && Sequence == other.Sequence
            && At.Equals(other.At)
            && Kind == other.Kind
            && Credits == other.Credits
            && PartsEqual(Parts, other.Parts)
            && string.Equals(ReservationId, other.ReservationId, StringComparison.Ordinal)
            && PartsEqual(Returned, other.Returned)
            && string.Equals(BoostId, other.BoostId, StringComparison.Ordinal)
            && string.Equals(IdempotencyKey, other.IdempotencyKey, StringComparison.Ordinal)
            && Nullable.Equals(Feature, other.Feature)
            && string.Equals(Actor, other.Actor, StringComparison.Ordinal)
            && string.Equals(Plan, other.Plan, StringComparison.Ordinal)
            && Nullable.Equals(PeriodStart, other.PeriodStart)
            && Nullable.Equals(PeriodEnd, other.PeriodEnd)
            && Nullable.Equals(ExpiresAt, other.ExpiresAt)
            && AutomationEnabled == other.AutomationEnabled
            && string.Equals(TimeZoneId, other.TimeZoneId, StringComparison.Ordinal)
            && CostsEqual(Costs, other.Costs)
            && Tokens == other.Tokens
            && Percent == other.Percent;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(WorkspaceId, Sequence, Kind, Credits, ReservationId, BoostId);

    private static bool PartsEqual(IReadOnlyList<CreditPart>? left, IReadOnlyList<CreditPart>? right)
        => ReferenceEquals(left, right) || (left is not null && right is not null && left.SequenceEqual(right));

    private static bool CostsEqual(IReadOnlyDictionary<string, long>? left, IReadOnlyDictionary<string, long>? right)
        => ReferenceEquals(left, right)
            || (left is not null && right is not null && left.Count == right.Count
                && left.All(pair => right.TryGetValue(pair.Key, out var value) && value == pair.Value));
}
