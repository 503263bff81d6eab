namespace Versana.Sdk;

/// <summary>
/// What went wrong in a ledger request that could not be carried out. The ledger is unchanged.
/// </summary>
public enum CreditLedgerError
{
    /// <summary>No workspace has the id.</summary>
    WorkspaceNotFound = 1,

    /// <summary>A workspace with the id already exists with other settings.</summary>
    WorkspaceAlreadyExists = 2,

    /// <summary>No reservation has the id in the workspace.</summary>
    ReservationNotFound = 3,

    /// <summary>The reservation ran past its TTL and its credits were released.</summary>
    ReservationExpired = 4,

    /// <summary>The reservation already ended in another way (committed vs. released, or another amount).</summary>
    ReservationAlreadyCompleted = 5,

    /// <summary>The idempotency key was used before for a different request.</summary>
    IdempotencyKeyReused = 6,

    /// <summary>The plan does not include AI, so the request makes no sense for it (a boost pack on Solo).</summary>
    PlanExcludesAi = 7,

    /// <summary>The credits service could not be reached, and the client fails closed.</summary>
    LedgerUnavailable = 8,
}
