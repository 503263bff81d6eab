namespace Versana.Sdk.Ledger.Storage;

/// <summary>A reservation as the ledger keeps it; mutated only by <see cref="WorkspaceAccount.Apply(in LedgerEntryValue)"/>.</summary>
internal sealed class Reservation
{
    public required string Id { get; init; }

    public required string IdempotencyKey { get; init; }

    public required AiFeature Feature { get; init; }

    public required long Credits { get; init; }

    /// <summary>Gets the buckets the credits are held in, monthly first, then boost packs in spending order.</summary>
    public required CreditPart[] Parts { get; init; }

    public required DateTimeOffset PeriodStart { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public string? Actor { get; init; }

    public ReservationStatus Status { get; set; } = ReservationStatus.Held;

    public long? CommittedCredits { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The in-memory journal's row for this reservation, so completing it needs no lookup; -1 where there is none (other stores).</summary>
    public int JournalRecord { get; set; } = -1;

    /// <summary>The snapshot of this open reservation as completed by <paramref name="entry"/> (a commit, release or expiry), for the stores' completed-reservation rows.</summary>
    public ReservationSnapshot CompletedBy(LedgerEntry entry) => ToSnapshot() with
    {
        Status = entry.Kind switch
        {
            LedgerEntryKind.Committed => ReservationStatus.Committed,
            LedgerEntryKind.Released => ReservationStatus.Released,
            _ => ReservationStatus.Expired,
        },
        CommittedCredits = entry.Kind == LedgerEntryKind.Committed ? entry.Credits : null,
        CompletedAt = entry.At,
    };

    /// <summary>Finds a reservation by idempotency key through a lookup by id (ids derive from keys), checking the key itself.</summary>
    public static Reservation? FindByKey(string idempotencyKey, Func<string, Reservation?> findById)
    {
        var reservation = findById(ReservationIds.FromKey(idempotencyKey));
        return reservation is not null && string.Equals(reservation.IdempotencyKey, idempotencyKey, StringComparison.Ordinal) ? reservation : null;
    }

    public static Reservation FromSnapshot(ReservationSnapshot s) => new()
    {
        Id = s.Id,
        IdempotencyKey = s.IdempotencyKey,
        Feature = s.Feature,
        Credits = s.Credits,
        Parts = s.Parts,
        PeriodStart = s.PeriodStart,
        CreatedAt = s.CreatedAt,
        ExpiresAt = s.ExpiresAt,
        Actor = s.Actor,
        Status = s.Status,
        CommittedCredits = s.CommittedCredits,
        CompletedAt = s.CompletedAt,
    };

    public ReservationSnapshot ToSnapshot()
        => new(Id, IdempotencyKey, Feature, Credits, Parts, PeriodStart, CreatedAt, ExpiresAt, Actor, Status, CommittedCredits, CompletedAt);

    public CreditReservation ToPublic(string workspaceId) => ToPublic(workspaceId, Status, CommittedCredits);

    /// <summary>The public record of this reservation as it was in the state given (a reply's, read later).</summary>
    public CreditReservation ToPublic(string workspaceId, ReservationStatus status, long? committedCredits) => new()
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
        Status = status,
        CommittedCredits = committedCredits,
    };
}
