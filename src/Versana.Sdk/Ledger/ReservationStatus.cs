namespace Versana.Sdk;

/// <summary>
/// The state of a reservation. Every reservation ends exactly once: committed, released or expired.
/// </summary>
public enum ReservationStatus
{
    /// <summary>The credits are held.</summary>
    Held = 1,

    /// <summary>The action succeeded and its actual cost was charged.</summary>
    Committed = 2,

    /// <summary>The action failed or was cancelled: nothing was charged.</summary>
    Released = 3,

    /// <summary>The reservation was not completed in time; the ledger released it.</summary>
    Expired = 4,
}
