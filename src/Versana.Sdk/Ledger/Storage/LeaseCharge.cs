namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// A reservation served from a lease and committed: written durably by its process before the commit is
/// acknowledged, and turned into a <see cref="LedgerEntryKind.Committed"/> entry when the lease is settled.
/// </summary>
/// <remarks>
/// <see cref="ReservationStored"/>: the completed reservation was written with the charge, so settlement has no
/// row to write (charges written by an older version have it <see langword="false"/>).
/// </remarks>
internal sealed record LeaseCharge(
    string ReservationId,
    string IdempotencyKey,
    AiFeature Feature,
    long Reserved,
    long Credits,
    long? Tokens,
    string? Actor,
    DateTimeOffset ReservedAt,
    DateTimeOffset CommittedAt,
    DateTimeOffset ExpiresAt,
    bool ReservationStored = false);
