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
    private readonly BalanceTerms? _terms;
    private CreditBalance? _balance;

    private BalanceSnapshot(BalanceTerms? terms, CreditBalance? balance, long available, CreditDenialReason? pauseReason, DateTimeOffset asOf)
    {
        _terms = terms;
        _balance = balance;
        Available = available;
        PauseReason = pauseReason;
        AsOf = asOf;
    }

    public string WorkspaceId => _terms?.WorkspaceId ?? _balance!.WorkspaceId;

    public long Available { get; }

    public CreditDenialReason? PauseReason { get; }

    public bool Paused => PauseReason is not null;

    public bool AutomationEnabled => _terms?.AutomationEnabled ?? _balance!.AutomationEnabled;

    public DateTimeOffset AsOf { get; }

    // The figures a reserve, commit or release moves; kept to build the balance when it is read.
    private long Used { get; init; }

    private long Held { get; init; }

    private long BoostRemaining { get; init; }

    /// <summary>A balance a ledger already built (a remote ledger's reply): reading the snapshot gives that balance back.</summary>
    public static BalanceSnapshot Of(CreditBalance balance)
        => new(null, balance, balance.Available, balance.PauseReason, balance.AsOf);

    /// <summary>The balance of <paramref name="account"/> under <paramref name="terms"/>, read at <paramref name="asOf"/>.</summary>
    public static BalanceSnapshot Of(BalanceTerms terms, WorkspaceAccount account, DateTimeOffset asOf)
    {
        var (used, held, boostRemaining, available) = FiguresOf(account);
        return new(terms, null, available, PauseReasonOf(terms, available), asOf) { Used = used, Held = held, BoostRemaining = boostRemaining };
    }

    /// <summary>Builds the <see cref="CreditBalance"/> of <see cref="Of(BalanceTerms, WorkspaceAccount, DateTimeOffset)"/> at once, for replies that carry one.</summary>
    public static CreditBalance Build(BalanceTerms terms, WorkspaceAccount account, DateTimeOffset asOf)
    {
        var (used, held, boostRemaining, available) = FiguresOf(account);
        return Build(terms, used, held, boostRemaining, available, PauseReasonOf(terms, available), asOf);
    }

    /// <summary>Gets the balance; built on the first read, when the snapshot was not made from one.</summary>
    public CreditBalance ToBalance()
        // Two readers racing may both build it: equal records, either one kept.
        => _balance ??= Build(_terms!, Used, Held, BoostRemaining, Available, PauseReason, AsOf);

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
