namespace Versana.Sdk.Rules;

/// <summary>A reservation, open or completed; changed only by <see cref="CreditRules.ApplyToReservation"/>.</summary>
internal sealed record ReservationState
{
    public required string Id { get; init; }

    public required string IdempotencyKey { get; init; }

    public required AiFeature Feature { get; init; }

    public required long Credits { get; init; }

    /// <summary>Gets the buckets the credits are held in, monthly first, then boost packs in spending order.</summary>
    public required IReadOnlyList<CreditPart> Parts { get; init; }

    public required DateTimeOffset PeriodStart { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public string? Actor { get; init; }

    public ReservationStatus Status { get; init; } = ReservationStatus.Held;

    public long? CommittedCredits { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public CreditReservation ToPublic(string workspaceId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        Feature = Feature,
        Credits = Credits,
        IdempotencyKey = IdempotencyKey,
        CreatedAt = CreatedAt,
        ExpiresAt = ExpiresAt,
        PeriodStart = PeriodStart,
        Actor = Actor,
        Status = Status,
        CommittedCredits = CommittedCredits,
    };

    /// <summary>Describes the reservation for a verification's differences.</summary>
    public override string ToString()
        => $"{Id}:{Feature}:{Credits}:{string.Join("+", Parts.Select(p => $"{p.Bucket}={p.Credits}"))}:{PeriodStart:O}:{ExpiresAt:O}:{Status}";
}
