namespace Versana.Sdk;

/// <summary>
/// The part of a workspace's balance that only a period, plan or settings change moves; one object shared by every
/// <see cref="CreditBalanceValue"/> in between.
/// </summary>
/// <param name="WorkspaceId">The workspace id.</param>
/// <param name="Plan">The current plan.</param>
/// <param name="PendingPlan">The plan that takes over at the next refresh, if any.</param>
/// <param name="TimeZoneId">The workspace's IANA time zone id.</param>
/// <param name="PeriodStart">The start of the current period.</param>
/// <param name="PeriodEnd">The end of the current period.</param>
/// <param name="Allocation">The current period's allocation.</param>
/// <param name="AutomationEnabled">Whether automated responses are activated.</param>
internal sealed record BalanceTerms(
    string WorkspaceId,
    string Plan,
    string? PendingPlan,
    string TimeZoneId,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    long Allocation,
    bool AutomationEnabled)
{
    public static BalanceTerms From(CreditBalance balance)
        => new(balance.WorkspaceId, balance.Plan, balance.PendingPlan, balance.TimeZoneId, balance.PeriodStart, balance.PeriodEnd, balance.Allocation, balance.AutomationEnabled);

    /// <summary>Whether these terms are still the account's: the strings compared by reference (the account keeps its own), instants with their offsets.</summary>
    internal bool StillDescribes(Ledger.Storage.WorkspaceAccount account)
        => ReferenceEquals(WorkspaceId, account.Id)
            && ReferenceEquals(Plan, account.Plan)
            && ReferenceEquals(PendingPlan, account.PendingPlan)
            && ReferenceEquals(TimeZoneId, account.TimeZoneId)
            && PeriodStart.EqualsExact(account.PeriodStart)
            && PeriodEnd.EqualsExact(account.PeriodEnd)
            && Allocation == account.Allocation
            && AutomationEnabled == account.AutomationEnabled;
}
