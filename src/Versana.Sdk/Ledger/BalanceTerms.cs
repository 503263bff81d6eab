using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk;

/// <summary>
/// The parts of a workspace's balance that change only with its plan, period or settings: shared by every
/// <see cref="BalanceSnapshot"/> taken while they hold, so a snapshot carries only the figures a decision moves.
/// </summary>
internal sealed class BalanceTerms
{
    /// <summary>Gets the ledger that worked the terms out: plan flags and prices are its own.</summary>
    public required object Ledger { get; init; }

    public required string WorkspaceId { get; init; }

    public required string Plan { get; init; }

    public string? PendingPlan { get; init; }

    public required DateTimeOffset PeriodStart { get; init; }

    public required DateTimeOffset PeriodEnd { get; init; }

    public required long Allocation { get; init; }

    public required bool AutomationEnabled { get; init; }

    public required string TimeZoneId { get; init; }

    /// <summary>Gets a value indicating whether the current plan includes AI.</summary>
    public required bool IncludesAi { get; init; }

    /// <summary>Gets a value indicating whether the plan of the next period (the pending one, or the current) includes AI.</summary>
    public required bool NextIncludesAi { get; init; }

    /// <summary>Gets the price of the cheapest feature the workspace may run: below it, AI is paused.</summary>
    public required long CheapestEnabledCost { get; init; }

    /// <summary>The terms of <paramref name="account"/> as it stands, with the plan flags and price <paramref name="ledger"/> worked out.</summary>
    public static BalanceTerms Of(WorkspaceAccount account, object ledger, bool includesAi, bool nextIncludesAi, long cheapestEnabledCost) => new()
    {
        Ledger = ledger,
        WorkspaceId = account.Id,
        Plan = account.Plan,
        PendingPlan = account.PendingPlan,
        PeriodStart = account.PeriodStart,
        PeriodEnd = account.PeriodEnd,
        Allocation = account.Allocation,
        AutomationEnabled = account.AutomationEnabled,
        TimeZoneId = account.TimeZoneId,
        IncludesAi = includesAi,
        NextIncludesAi = nextIncludesAi,
        CheapestEnabledCost = cheapestEnabledCost,
    };

    /// <summary>
    /// Whether these terms are <paramref name="account"/>'s as it stands, for <paramref name="ledger"/> (whose plans
    /// are fixed, so the same plan names mean the same flags) and the cheapest price it works out now.
    /// </summary>
    public bool Describe(WorkspaceAccount account, object ledger, long cheapestEnabledCost)
        => ReferenceEquals(Ledger, ledger)
            && string.Equals(WorkspaceId, account.Id, StringComparison.Ordinal)
            && string.Equals(Plan, account.Plan, StringComparison.Ordinal)
            && string.Equals(PendingPlan, account.PendingPlan, StringComparison.Ordinal)
            && PeriodStart.EqualsExact(account.PeriodStart)
            && PeriodEnd.EqualsExact(account.PeriodEnd)
            && Allocation == account.Allocation
            && AutomationEnabled == account.AutomationEnabled
            && string.Equals(TimeZoneId, account.TimeZoneId, StringComparison.Ordinal)
            && CheapestEnabledCost == cheapestEnabledCost;
}
