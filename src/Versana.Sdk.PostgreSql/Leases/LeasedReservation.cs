namespace Versana.Sdk.PostgreSql.Leases;

/// <summary>A reservation served from this process's lease; guarded by its <see cref="WorkspaceLease"/>'s lock.</summary>
internal sealed class LeasedReservation
{
    public required string Id { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the lease the credits are held in.</summary>
    public required string LeaseId { get; init; }

    public required AiFeature Feature { get; init; }

    public required long Credits { get; init; }

    public required DateTimeOffset PeriodStart { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public string? Actor { get; init; }

    public ReservationStatus Status { get; set; } = ReservationStatus.Held;

    public long? CommittedCredits { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Gets or sets the commit being written, so a concurrent retry joins it.</summary>
    public Task<CommitResult>? Committing { get; set; }

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
}
