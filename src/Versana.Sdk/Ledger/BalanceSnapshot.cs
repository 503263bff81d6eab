using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk;

/// <summary>
/// The balance a ledger reply carries to the credit guard and the balance cache: the figures of the decision and
/// the workspace's <see cref="BalanceTerms"/>, made into a <see cref="CreditBalance"/> only when someone reads it.
/// </summary>
/// <remarks>
/// Every guarded call gets two replies, and the cache keeps only the newest balance; a <see cref="CreditBalance"/> is
/// 184 bytes, and building one for each reply was a quarter of what a guarded call allocated, almost all of it never
/// read. A snapshot is less than half that size and shares its terms with every other until the plan, the period or
/// the settings change.
/// </remarks>
internal sealed class BalanceSnapshot
{
    // The terms the balance is built from, then the balance once built (or the one it was made from): one field for
    // both, and the pause reason in a byte, make a snapshot 80 bytes instead of 88 (two a guarded call).
    private object _source;
    private readonly byte _pauseReason;

    private BalanceSnapshot(object source, long available, CreditDenialReason? pauseReason, DateTimeOffset asOf)
    {
        _source = source;
        Available = available;
        _pauseReason = (byte)(pauseReason ?? 0);
        AsOf = asOf;
    }

    public string WorkspaceId => Volatile.Read(ref _source) is BalanceTerms terms ? terms.WorkspaceId : ((CreditBalance)_source).WorkspaceId;

    public long Available { get; }

    // The ledger's reasons start at 1, so 0 is none; a balance from elsewhere (a remote reply) answers for itself.
    public CreditDenialReason? PauseReason
        => Volatile.Read(ref _source) is CreditBalance balance ? balance.PauseReason
            : _pauseReason == 0 ? null : (CreditDenialReason)_pauseReason;

    public bool Paused => PauseReason is not null;

    public bool AutomationEnabled => Volatile.Read(ref _source) is BalanceTerms terms ? terms.AutomationEnabled : ((CreditBalance)_source).AutomationEnabled;

    public DateTimeOffset AsOf { get; }

    // The figures a reserve, commit or release moves; kept to build the balance when it is read.
    private long Used { get; init; }

    private long Held { get; init; }

    private long BoostRemaining { get; init; }

    /// <summary>A balance a ledger already built (a remote ledger's reply): reading the snapshot gives that balance back.</summary>
    public static BalanceSnapshot Of(CreditBalance balance)
        // Its pause reason is read from the balance itself (see PauseReason), whatever value a remote reply carried.
        => new(balance, balance.Available, pauseReason: null, balance.AsOf);

    /// <summary>The balance of <paramref name="account"/> under <paramref name="terms"/>, read at <paramref name="asOf"/>.</summary>
    public static BalanceSnapshot Of(BalanceTerms terms, WorkspaceAccount account, DateTimeOffset asOf)
    {
        var (used, held, boostRemaining, available) = FiguresOf(account);
        return new(terms, available, PauseReasonOf(terms, available), asOf) { Used = used, Held = held, BoostRemaining = boostRemaining };
    }

    /// <summary>Builds the <see cref="CreditBalance"/> of <see cref="Of(BalanceTerms, WorkspaceAccount, DateTimeOffset)"/> at once, for replies that carry one.</summary>
    public static CreditBalance Build(BalanceTerms terms, WorkspaceAccount account, DateTimeOffset asOf)
    {
        var (used, held, boostRemaining, available) = FiguresOf(account);
        return Build(terms, used, held, boostRemaining, available, PauseReasonOf(terms, available), asOf);
    }

    /// <summary>Gets the balance; built on the first read, when the snapshot was not made from one.</summary>
    public CreditBalance ToBalance()
    {
        if (Volatile.Read(ref _source) is not BalanceTerms terms)
        {
            return (CreditBalance)_source;
        }

        // Two readers racing may both build it: equal records, either one kept.
        var balance = Build(terms, Used, Held, BoostRemaining, Available, PauseReason, AsOf);
        Volatile.Write(ref _source, balance);
        return balance;
    }

    private static (long Used, long Held, long BoostRemaining, long Available) FiguresOf(WorkspaceAccount account)
        => (account.Used, account.HeldMonthly + account.HeldBoost, account.BoostRemaining, account.Available);

    private static CreditDenialReason? PauseReasonOf(BalanceTerms terms, long available)
        => LedgerRules.PauseReason(terms.IncludesAi, available, terms.CheapestEnabledCost);

    private static CreditBalance Build(BalanceTerms terms, long used, long held, long boostRemaining, long available, CreditDenialReason? pause, DateTimeOffset asOf) => new()
    {
        WorkspaceId = terms.WorkspaceId,
        Plan = terms.Plan,
        PendingPlan = terms.PendingPlan,
        PeriodStart = terms.PeriodStart,
        PeriodEnd = terms.PeriodEnd,
        Allocation = terms.Allocation,
        Used = used,
        Held = held,
        MonthlyRemaining = terms.Allocation - used,
        BoostRemaining = boostRemaining,
        Available = available,
        Paused = pause is not null,
        PauseReason = pause,
        ResumesAt = pause == CreditDenialReason.CreditsExhausted && terms.NextIncludesAi ? terms.PeriodEnd : null,
        AutomationEnabled = terms.AutomationEnabled,
        TimeZoneId = terms.TimeZoneId,
        AsOf = asOf,
    };
}
