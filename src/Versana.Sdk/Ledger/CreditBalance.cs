namespace Versana.Sdk;

/// <summary>
/// A snapshot of a workspace's credit pool, as read at <see cref="AsOf"/>.
/// </summary>
public sealed record CreditBalance
{
    /// <summary>Gets the workspace id.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>Gets the current plan name.</summary>
    public required string Plan { get; init; }

    /// <summary>Gets the plan that takes over at the next refresh (a scheduled downgrade), if any.</summary>
    public string? PendingPlan { get; init; }

    /// <summary>Gets the start of the current billing period.</summary>
    public required DateTimeOffset PeriodStart { get; init; }

    /// <summary>Gets the end of the current billing period: the next refresh.</summary>
    public required DateTimeOffset PeriodEnd { get; init; }

    /// <summary>Gets the monthly allocation of the current period.</summary>
    public required long Allocation { get; init; }

    /// <summary>Gets the credits of the allocation used (committed) in the current period.</summary>
    public required long Used { get; init; }

    /// <summary>Gets the credits held by open reservations, from the allocation and boost packs together.</summary>
    public required long Held { get; init; }

    /// <summary>Gets the allocation not yet used (held credits included): <see cref="Allocation"/> − <see cref="Used"/>.</summary>
    public required long MonthlyRemaining { get; init; }

    /// <summary>Gets the boost pack credits not yet used (held credits included).</summary>
    public required long BoostRemaining { get; init; }

    /// <summary>Gets the credits a new reservation can take: monthly remaining + boost remaining − held.</summary>
    public required long Available { get; init; }

    /// <summary>Gets a value indicating whether AI features are paused: the cheapest feature cannot run.</summary>
    public required bool Paused { get; init; }

    /// <summary>Gets why the workspace is paused, when it is.</summary>
    public CreditDenialReason? PauseReason { get; init; }

    /// <summary>Gets when the pause ends by itself (the next refresh), when it does.</summary>
    public DateTimeOffset? ResumesAt { get; init; }

    /// <summary>Gets a value indicating whether automated responses are activated.</summary>
    public required bool AutomationEnabled { get; init; }

    /// <summary>Gets the workspace's IANA time zone id.</summary>
    public required string TimeZoneId { get; init; }

    /// <summary>Gets the instant the snapshot was read; a cached snapshot is as old as this says.</summary>
    public required DateTimeOffset AsOf { get; init; }
}
