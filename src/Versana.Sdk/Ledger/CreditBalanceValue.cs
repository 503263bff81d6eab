namespace Versana.Sdk;

/// <summary>
/// A <see cref="CreditBalance"/> as a value: what changes with every decision as numbers, and what changes only with
/// a period, plan or settings change in one shared <see cref="BalanceTerms"/> object. For the replies the guard
/// takes from an in-process ledger, and the balance the cache keeps.
/// </summary>
/// <remarks>
/// Every guarded call gets a balance with its reserve and another with its commit; the cache keeps the newest and
/// the guard reads one number. As records they were two objects of ~160 B a call, mostly never read (a fifth of a
/// guarded call's bytes). A value with all seventeen members was as costly: it passes through several layers of
/// <see cref="ValueTask{TResult}"/> and each copy of its four references went through the collector's write barrier.
/// This one is small with one reference; the record is built only when someone asks for it (<see cref="ToBalance"/>).
/// </remarks>
internal readonly struct CreditBalanceValue
{
    public CreditBalanceValue(BalanceTerms terms, long used, long held, long boostRemaining, long available, CreditDenialReason? pauseReason, DateTimeOffset? resumesAt, DateTimeOffset asOf)
    {
        Terms = terms;
        Used = used;
        Held = held;
        BoostRemaining = boostRemaining;
        Available = available;
        PauseReason = pauseReason;
        ResumesAt = resumesAt;
        AsOf = asOf;
    }

    public BalanceTerms Terms { get; }

    public long Used { get; }

    public long Held { get; }

    public long BoostRemaining { get; }

    public long Available { get; }

    public CreditDenialReason? PauseReason { get; }

    public DateTimeOffset? ResumesAt { get; }

    public DateTimeOffset AsOf { get; }

    public string WorkspaceId => Terms.WorkspaceId;

    public bool Paused => PauseReason is not null;

    public bool AutomationEnabled => Terms.AutomationEnabled;

    public static CreditBalanceValue From(CreditBalance balance)
        => new(
            BalanceTerms.From(balance),
            balance.Used,
            balance.Held,
            balance.BoostRemaining,
            balance.Available,
            balance.PauseReason,
            balance.ResumesAt,
            balance.AsOf);

    public CreditBalance ToBalance() => new()
    {
        WorkspaceId = Terms.WorkspaceId,
        Plan = Terms.Plan,
        PendingPlan = Terms.PendingPlan,
        PeriodStart = Terms.PeriodStart,
        PeriodEnd = Terms.PeriodEnd,
        Allocation = Terms.Allocation,
        Used = Used,
        Held = Held,
        MonthlyRemaining = Terms.Allocation - Used,
        BoostRemaining = BoostRemaining,
        Available = Available,
        Paused = Paused,
        PauseReason = PauseReason,
        ResumesAt = ResumesAt,
        AutomationEnabled = Terms.AutomationEnabled,
        TimeZoneId = Terms.TimeZoneId,
        AsOf = AsOf,
    };
}
