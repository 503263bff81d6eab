using Versana.Sdk.Ledger.Storage;
using Versana.Sdk.Rules;

namespace Versana.Sdk;

/// <summary>
/// The credit ledger in process: the rules (<see cref="CreditRules"/>) over a store. Thread-safe; decisions on one
/// workspace are serialized, decisions on different workspaces run in parallel.
/// </summary>
/// <remarks>
/// Every decision runs the same way inside the store's critical section for the workspace: load its state, let the
/// clock's changes happen (<see cref="CreditRules.Refresh"/>), decide, and save the entries the decision made. A
/// decision that throws saves nothing.
/// </remarks>
public sealed partial class CreditLedger : ICreditLedger, IAsyncDisposable
{
    private const int MaxIdLength = 64;
    private const int MaxKeyLength = 128;

    private readonly ICreditStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly CreditPolicy _policy;

    internal CreditLedger(ICreditStore store, CreditLedgerOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _policy = new CreditPolicy(options);
        _store = store;
        _timeProvider = timeProvider;
    }

    internal ICreditStore Store => _store;

    internal CreditPolicy Policy => _policy;

    /// <summary>Gets the boost pack sizes on offer, in credits, smallest first.</summary>
    public IReadOnlyList<long> BoostPackSizes => _policy.BoostPackSizes;

    /// <summary>Creates a ledger that keeps everything in memory (tests, samples, single-process development).</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <returns>The ledger.</returns>
    public static CreditLedger CreateInMemory(CreditLedgerOptions? options = null, TimeProvider? timeProvider = null)
        => new(new InMemoryCreditStore(), options ?? new CreditLedgerOptions(), timeProvider ?? TimeProvider.System);

    /// <inheritdoc/>
    public ValueTask<CreditBalance> CreateWorkspaceAsync(WorkspaceSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ValidateWorkspaceId(settings.WorkspaceId);
        var plan = FindPlan(settings.Plan);
        var timeZoneId = settings.TimeZoneId ?? _policy.DefaultTimeZoneId;
        BillingCalendar.FindTimeZone(timeZoneId);
        var costs = ValidateCosts(settings.Costs);
        return DecideAsync(
            settings.WorkspaceId,
            null,
            (Settings: settings, Plan: plan, TimeZoneId: timeZoneId, Costs: costs),
            static (d, s) => CreditRules.Create(d.Log, s.Settings.WorkspaceId, s.Plan, s.TimeZoneId, s.Settings.AutomationEnabled, s.Costs, d.Now, d.Policy),
            cancellationToken,
            mayCreate: true);
    }

    /// <inheritdoc/>
    public ValueTask<CreditBalance> UpdateSettingsAsync(string workspaceId, WorkspaceSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        ArgumentNullException.ThrowIfNull(update);
        var costs = ValidateCosts(update.Costs);
        return DecideAsync(
            workspaceId,
            null,
            (update.AutomationEnabled, Costs: costs),
            static (d, s) => CreditRules.UpdateSettings(d.Log, s.AutomationEnabled, s.Costs, d.Now, d.Policy),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<PlanChangeResult> ChangePlanAsync(string workspaceId, string plan, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        var target = FindPlan(plan);
        return DecideAsync(workspaceId, null, target, static (d, plan) => CreditRules.ChangePlan(d.Log, plan, d.Now, d.Policy), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<CreditReservationResult> ReserveAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken = default)
    {
        ValidateReservation(workspaceId, request);
        var id = ReservationIds.FromKey(request.IdempotencyKey);
        return DecideAsync(
            workspaceId,
            id,
            (Request: request, Id: id),
            static (d, s) => CreditRules.Reserve(d.Log, d.Reservation(s.Id), s.Request, s.Id, d.Now, d.Policy),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<CommitResult> CommitAsync(string workspaceId, string reservationId, long? actualCredits = null, long? tokens = null, CancellationToken cancellationToken = default)
    {
        ValidateCommit(workspaceId, reservationId, actualCredits, tokens);
        return DecideAsync(
            workspaceId,
            reservationId,
            (Id: reservationId, Actual: actualCredits, Tokens: tokens),
            static (d, s) => CreditRules.Commit(d.Log, d.Reservation(s.Id), s.Id, s.Actual, s.Tokens, d.Now, d.Policy),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<ReleaseResult> ReleaseAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        ValidateKey(reservationId, nameof(reservationId));
        return DecideAsync(
            workspaceId,
            reservationId,
            reservationId,
            static (d, id) => CreditRules.Release(d.Log, d.Reservation(id), id, d.Now, d.Policy),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<BoostPackPurchase> PurchaseBoostPackAsync(string workspaceId, BoostPackRequest request, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        ArgumentNullException.ThrowIfNull(request);
        if (!_policy.BoostPackSizes.Contains(request.Credits))
        {
            throw new ArgumentOutOfRangeException(
                nameof(request),
                request.Credits,
                $"There is no boost pack of {request.Credits} credits; choose one of {string.Join(", ", _policy.BoostPackSizes)}.");
        }

        ValidateKey(request.IdempotencyKey, nameof(request));
        var boostId = $"bst_{Guid.CreateVersion7(_timeProvider.GetUtcNow()):N}";
        return DecideAsync(
            workspaceId,
            null,
            (Request: request, BoostId: boostId),
            static (d, s) => CreditRules.PurchaseBoost(d.Log, s.Request, s.BoostId, d.Now, d.Policy),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<CreditBalance> GetBalanceAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        return DecideAsync(workspaceId, null, 0, static (d, _) => CreditRules.Balance(d.Log.State!, d.Now, d.Policy), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<CreditReservation?> GetReservationAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        ValidateKey(reservationId, nameof(reservationId));
        return DecideAsync(workspaceId, reservationId, reservationId, static (d, id) => d.Reservation(id)?.ToPublic(d.Log.State!.Id), cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<UsageReport> GetUsageAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        if (to < from)
        {
            throw new ArgumentException($"The usage range ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", nameof(to));
        }

        if (to.DayNumber - from.DayNumber > 366)
        {
            throw new ArgumentException("A usage range spans at most 366 days; ask for several ranges.", nameof(to));
        }

        await _store.ExecuteAsync(workspaceId, 0, static (session, _) => RequireAccount(session), cancellationToken).ConfigureAwait(false);
        var days = await _store.GetDailyUsageAsync(workspaceId, from, to, cancellationToken).ConfigureAwait(false);
        return UsageAggregator.Aggregate(workspaceId, from, to, days);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence = 0, int limit = 100, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1_000);
        await _store.ExecuteAsync(workspaceId, 0, static (session, _) => RequireAccount(session), cancellationToken).ConfigureAwait(false);
        return await _store.GetEntriesAsync(workspaceId, afterSequence, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<LedgerVerification> VerifyAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        return _store.ExecuteAsync(
            workspaceId,
            this,
            static (session, ledger) =>
            {
                var account = RequireAccount(session);
                var entries = session.ReadAllEntries();

                // The same fold the decisions use, from nothing: the account and the open reservations must come out as stored.
                AccountState? replayed = null;
                var reservations = new Dictionary<string, ReservationState>(StringComparer.Ordinal);
                foreach (var entry in entries)
                {
                    replayed = CreditRules.Apply(replayed, entry);
                    if (CreditRules.ConcernsReservation(entry))
                    {
                        reservations[entry.ReservationId!] = CreditRules.ApplyToReservation(reservations.GetValueOrDefault(entry.ReservationId!), entry)!;
                    }
                }

                var differences = account.DifferencesFrom(replayed!).ToList();
                var storedOpen = string.Join(";", session.ReadOpenReservations().OrderBy(r => r.Id, StringComparer.Ordinal));
                var replayedOpen = string.Join(";", reservations.Values.Where(r => r.Status == ReservationStatus.Held).OrderBy(r => r.Id, StringComparer.Ordinal));
                if (!string.Equals(storedOpen, replayedOpen, StringComparison.Ordinal))
                {
                    differences.Add($"Open reservations: stored {storedOpen}, replayed {replayedOpen}");
                }

                var now = ledger._timeProvider.GetUtcNow();
                return new LedgerVerification(
                    account.Id,
                    entries.Count,
                    CreditRules.Balance(account, now, ledger._policy),
                    CreditRules.Balance(replayed!, now, ledger._policy),
                    differences);
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private static AccountState RequireAccount(ILedgerSession session)
        => session.Account ?? throw new CreditLedgerException(
            CreditLedgerError.WorkspaceNotFound,
            "No workspace has this id. Create it first, or check the id.");

    /// <summary>Runs one decision in the store's critical section for the workspace and saves what it made.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="reservationId">The reservation the decision is about, which a batching store fetches up front.</param>
    /// <param name="state">The decision's input.</param>
    /// <param name="decide">The rule to apply.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <param name="mayCreate">Whether the workspace may not exist yet (creation).</param>
    private ValueTask<TResult> DecideAsync<TState, TResult>(
        string workspaceId,
        string? reservationId,
        TState state,
        Func<DecisionContext, TState, TResult> decide,
        CancellationToken cancellationToken,
        bool mayCreate = false)
    {
        var input = (Ledger: this, State: state, Decide: decide, MayCreate: mayCreate);
        return reservationId is null
            ? _store.ExecuteAsync(workspaceId, input, static (session, s) => s.Ledger.Decide(session, s.State, s.Decide, s.MayCreate), cancellationToken)
            : _store.ExecuteAsync(workspaceId, reservationId, input, static (session, s) => s.Ledger.Decide(session, s.State, s.Decide, s.MayCreate), cancellationToken);
    }

    private TResult Decide<TState, TResult>(ILedgerSession session, TState state, Func<DecisionContext, TState, TResult> decide, bool mayCreate)
    {
        var account = mayCreate ? session.Account : RequireAccount(session);
        var now = _timeProvider.GetUtcNow();
        var log = new DecisionLog(account);
        if (account is not null)
        {
            CreditRules.Refresh(log, session.FindExpired(now), now, _policy);
        }

        var reply = decide(new DecisionContext(session, log, now, _policy), state);
        if (log.Entries.Count > 0)
        {
            session.Save(log.State!, log.Entries);
        }

        return reply;
    }

    /// <summary>What a decision reads: the log (the state so far), the clock's reading, the policy and the store's reservations.</summary>
    private readonly record struct DecisionContext(ILedgerSession Session, DecisionLog Log, DateTimeOffset Now, CreditPolicy Policy)
    {
        /// <summary>The reservation as it stands after the clock's changes of this decision.</summary>
        public ReservationState? Reservation(string id) => CreditRules.Current(Session.FindReservation(id), Log.Entries);
    }
}
