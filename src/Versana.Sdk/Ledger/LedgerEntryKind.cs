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
}
