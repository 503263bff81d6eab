namespace Versana.Sdk;

/// <summary>
/// Credits held for an AI action until it is committed, released or expires.
/// </summary>
public sealed record CreditReservation
{
    /// <summary>Gets the reservation id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the workspace id.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>Gets the feature.</summary>
    public required AiFeature Feature { get; init; }

    /// <summary>Gets the credits held.</summary>
    public required long Credits { get; init; }

    /// <summary>Gets the idempotency key the reservation was made with.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets when the reservation was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the ledger releases the reservation if it is not completed.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Gets the start of the billing period the credits were reserved from.</summary>
    public required DateTimeOffset PeriodStart { get; init; }

    /// <summary>Gets the actor recorded with the reservation.</summary>
    public string? Actor { get; init; }

    /// <summary>Gets the reservation's state.</summary>
    public required ReservationStatus Status { get; init; }

    /// <summary>Gets the credits charged, once committed.</summary>
    public long? CommittedCredits { get; init; }
}
