namespace Versana.Sdk;

/// <summary>
/// The kind of an audit entry. Every change to a workspace's credits is one entry.
/// </summary>
public enum LedgerEntryKind
{
    /// <summary>The workspace was created.</summary>
    WorkspaceCreated = 1,

    /// <summary>A billing period started and its allocation was granted.</summary>
    PeriodStarted = 2,

    /// <summary>Credits were held for an action.</summary>
    Reserved = 3,

    /// <summary>A reservation was charged.</summary>
    Committed = 4,

    /// <summary>A reservation was given back.</summary>
    Released = 5,

    /// <summary>A reservation ran past its TTL and the ledger gave it back.</summary>
    ReservationExpired = 6,

    /// <summary>A boost pack was bought.</summary>
    BoostPurchased = 7,

    /// <summary>A boost pack's unused credits lapsed.</summary>
    BoostExpired = 8,

    /// <summary>The plan changed (an upgrade, or a scheduled downgrade taking effect).</summary>
    PlanChanged = 9,

    /// <summary>A downgrade was scheduled for the next refresh.</summary>
    PlanChangeScheduled = 10,

    /// <summary>Automation or costs changed.</summary>
    SettingsChanged = 11,

    /// <summary>Usage crossed a threshold of the allocation (once per period per threshold).</summary>
    ThresholdCrossed = 12,

    /// <summary>
    /// A process took (or topped up) a credit lease: a block of credits held for it to serve reservations from
    /// locally. Its charges appear later as <see cref="Committed"/> entries that name the lease.
    /// </summary>
    LeaseTaken = 13,

    /// <summary>A process gave back the unused part of its lease (idle, shutdown, or the monthly refresh).</summary>
    LeaseReturned = 14,

    /// <summary>A lease ran past its TTL (its process died or stalled) and the ledger gave back its unused part.</summary>
    LeaseExpired = 15,

    /// <summary>
    /// A process gave back the free part of its lease and kept the credits its open reservations hold, so that the
    /// ledger could decide a reservation with every credit of the pool in view.
    /// </summary>
    LeaseReduced = 16,
}
