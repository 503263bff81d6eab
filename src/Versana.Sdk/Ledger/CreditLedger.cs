using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk;

/// <summary>
/// The credit rules engine over a store, in process. Thread-safe; decisions on one workspace are serialized,
/// decisions on different workspaces run in parallel.
/// </summary>
public sealed partial class CreditLedger : ICreditLedger, IGuardLedger, IAsyncDisposable
{
    private const int MaxIdLength = 64;
    private const int MaxKeyLength = 128;

    private readonly ICreditStore _store;

    // The in-memory store, called directly: a call through ICreditStore is a generic virtual call, which the runtime
    // resolves with a lookup every time (and the JIT cannot inline), twice in every guarded call.
    private readonly InMemoryCreditStore? _memoryStore;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, CreditPlan> _plans;
    private readonly Dictionary<AiFeature, long> _costs;
    private readonly long[] _boostPackSizes;
    private readonly int[] _thresholds;
    private readonly TimeSpan _reservationTtl;
    private readonly TimeSpan _maxReservationTtl;
    private readonly TimeSpan? _boostLifetime;
    private readonly long _maxCredits;
    private readonly string _defaultTimeZoneId;

    // The cheapest cost among the enabled features for workspaces without cost overrides (the usual case):
    // every reply's balance needs it to tell whether the pool is paused.
    private readonly long _cheapestWithAutomation;
    private readonly long _cheapestWithoutAutomation;

    // The plan the last decision looked up (plan names compare ignoring case, so each lookup hashes the name).
    private PlanFlag? _lastPlan;

    // The parts of the last hold taken from the monthly allocation alone (see MonthlyOnly).
    private CreditPart[]? _lastMonthlyOnly;

    internal CreditLedger(ICreditStore store, CreditLedgerOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.ThrowIfInvalid();

        _store = store;
        _memoryStore = store as InMemoryCreditStore;
        _timeProvider = timeProvider;

        // Copied once: options changed after start-up must not change decisions half-way.
        _plans = options.Plans.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _costs = new Dictionary<AiFeature, long>(options.Costs);
        _boostPackSizes = [.. options.BoostPackSizes.Distinct().Order()];
        _thresholds = [.. options.ThresholdPercents.Distinct().Order()];
        _reservationTtl = options.ReservationTtl;
        _maxReservationTtl = options.MaxReservationTtl;
        _boostLifetime = options.BoostPackLifetime;
        _maxCredits = options.MaxCreditsPerRequest;
        _defaultTimeZoneId = options.DefaultTimeZoneId;
        _cheapestWithAutomation = _costs.Count == 0 ? long.MaxValue : _costs.Values.Min();
        _cheapestWithoutAutomation = _costs.Where(c => c.Key != AiFeature.AutomatedResponse).Select(c => c.Value).DefaultIfEmpty(long.MaxValue).Min();
    }

    internal ICreditStore Store => _store;

    /// <summary>Gets the TTL of a reservation that does not ask for one.</summary>
    internal TimeSpan DefaultReservationTtl => _reservationTtl;

    /// <summary>Gets the boost pack sizes on offer, in credits, smallest first.</summary>
    public IReadOnlyList<long> BoostPackSizes => _boostPackSizes;

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
        var timeZoneId = settings.TimeZoneId ?? _defaultTimeZoneId;
        var timeZone = BillingCalendar.FindTimeZone(timeZoneId);
        var costs = ValidateCosts(settings.Costs);

        return _store.ExecuteAsync(
            settings.WorkspaceId,
            (Ledger: this, Settings: settings, Plan: plan, TimeZoneId: timeZoneId, TimeZone: timeZone, Costs: costs),
            static (session, s) => s.Ledger.Create(session, s.Settings, s.Plan, s.TimeZoneId, s.TimeZone, s.Costs),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<CreditBalance> UpdateSettingsAsync(string workspaceId, WorkspaceSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        ArgumentNullException.ThrowIfNull(update);
        var costs = ValidateCosts(update.Costs);

        return _store.ExecuteAsync(
            workspaceId,
            (Ledger: this, Update: update, Costs: costs),
            static (session, s) =>
            {
                var ledger = s.Ledger;
                var account = RequireAccount(session);
                var now = ledger._timeProvider.GetUtcNow();
                ledger.Touch(session, account, now);
                // Only what changes is written: a retried call (its reply lost on the way) adds nothing to the audit trail.
                var automationChanged = s.Update.AutomationEnabled is { } enabled && enabled != account.AutomationEnabled;
                var costsChanged = s.Costs is not null && !CostsEqual(account.CostOverrides, s.Costs);
                if (automationChanged || costsChanged)
                {
                    session.Append(new LedgerEntryValue(account.Id, NextSequence(account), now, LedgerEntryKind.SettingsChanged)
                    {
                        AutomationEnabled = automationChanged ? s.Update.AutomationEnabled : null,
                        Costs = costsChanged ? s.Costs : null,
                    });
                }

                return ledger.Snapshot(account, now);
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<PlanChangeResult> ChangePlanAsync(string workspaceId, string plan, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        var target = FindPlan(plan);
        return _store.ExecuteAsync(
            workspaceId,
            (Ledger: this, Plan: target),
            static (session, s) => s.Ledger.ChangePlan(session, s.Plan),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<CreditReservationResult> ReserveAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken = default)
    {
        var value = ValidateReservation(workspaceId, request);
        return DecideReservationAsync(workspaceId, value, static (session, s) => s.Ledger.Reserve(session, s.Request, s.Id), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<CommitResult> CommitAsync(string workspaceId, string reservationId, long? actualCredits = null, long? tokens = null, CancellationToken cancellationToken = default)
        => DecideCommitAsync(workspaceId, reservationId, actualCredits, tokens, static (session, s) => s.Ledger.Commit(session, s.Id, s.Actual, s.Tokens), cancellationToken);

    /// <inheritdoc/>
    ValueTask<ReservationReply> IGuardLedger.ReserveReplyAsync(string workspaceId, ReservationRequestValue request, CancellationToken cancellationToken)
    {
        ValidateReservation(workspaceId, request);
        return DecideReservationAsync(workspaceId, request, static (session, s) => s.Ledger.ReserveReply(session, s.Request, s.Id), cancellationToken);
    }

    /// <inheritdoc/>
    ValueTask<CommitReply> IGuardLedger.CommitReplyAsync(string workspaceId, string reservationId, long? actualCredits, long? tokens, CancellationToken cancellationToken)
        => DecideCommitAsync(workspaceId, reservationId, actualCredits, tokens, static (session, s) => s.Ledger.CommitReply(session, s.Id, s.Actual, s.Tokens), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ReleaseResult> ReleaseAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        ValidateKey(reservationId, nameof(reservationId));
        return ExecuteDecisionAsync(
            workspaceId,
            reservationId,
            (Ledger: this, Id: reservationId),
            static (session, s) => s.Ledger.Release(session, s.Id),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<BoostPackPurchase> PurchaseBoostPackAsync(string workspaceId, BoostPackRequest request, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        ArgumentNullException.ThrowIfNull(request);
        if (Array.IndexOf(_boostPackSizes, request.Credits) < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(request),
                request.Credits,
                $"There is no boost pack of {request.Credits} credits; choose one of {string.Join(", ", _boostPackSizes)}.");
        }

        ValidateKey(request.IdempotencyKey, nameof(request));
        return _store.ExecuteAsync(
            workspaceId,
            (Ledger: this, Request: request),
            static (session, s) => s.Ledger.PurchaseBoost(session, s.Request),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<CreditBalance> GetBalanceAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        return _store.ExecuteAsync(
            workspaceId,
            this,
            static (session, ledger) =>
            {
                var account = RequireAccount(session);
                var now = ledger._timeProvider.GetUtcNow();
                ledger.Touch(session, account, now);
                return ledger.Snapshot(account, now);
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<CreditReservation?> GetReservationAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default)
    {
        ValidateWorkspaceId(workspaceId);
        ValidateKey(reservationId, nameof(reservationId));
        return _store.ExecuteAsync(
            workspaceId,
            reservationId,
            (Ledger: this, Id: reservationId),
            static (session, s) =>
            {
                var account = RequireAccount(session);
                s.Ledger.Touch(session, account, s.Ledger._timeProvider.GetUtcNow());
                return session.FindReservation(s.Id)?.ToPublic(account.Id);
            },
            cancellationToken);
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

        var timeZone = await _store.ExecuteAsync(workspaceId, 0, static (session, _) => RequireAccount(session).TimeZone, cancellationToken).ConfigureAwait(false);
        var start = BillingCalendar.GetStartOfDay(from, timeZone);
        var end = BillingCalendar.GetStartOfDay(to.AddDays(1), timeZone);
        var commits = await _store.GetCommitsAsync(workspaceId, start, end, cancellationToken).ConfigureAwait(false);
        return UsageAggregator.Aggregate(workspaceId, from, to, timeZone, commits);
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
                var replayed = new WorkspaceAccount();
                foreach (var entry in entries)
                {
                    replayed.Apply(entry);
                }

                var now = ledger._timeProvider.GetUtcNow();
                return new LedgerVerification(
                    account.Id,
                    entries.Count,
                    ledger.Snapshot(account, now),
                    ledger.Snapshot(replayed, now),
                    AccountComparer.Compare(account, replayed));
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _store.DisposeAsync();

    /// <summary>Runs <paramref name="decide"/> on a validated reservation request; the public and the guard's replies differ only in shape.</summary>
    private ValueTask<TResult> DecideReservationAsync<TResult>(
        string workspaceId,
        ReservationRequestValue request,
        Func<ILedgerSession, (CreditLedger Ledger, ReservationRequestValue Request, string Id), TResult> decide,
        CancellationToken cancellationToken)
    {
        // The id is a hash of the key: computed before the workspace lock, so the lock is held for less.
        var id = ReservationIds.FromKey(request.IdempotencyKey);
        return ExecuteDecisionAsync(workspaceId, id, (Ledger: this, Request: request, Id: id), decide, cancellationToken);
    }

    /// <summary>Validates a commit and runs <paramref name="decide"/> on it.</summary>
    private ValueTask<TResult> DecideCommitAsync<TResult>(
        string workspaceId,
        string reservationId,
        long? actualCredits,
        long? tokens,
        Func<ILedgerSession, (CreditLedger Ledger, string Id, long? Actual, long? Tokens), TResult> decide,
        CancellationToken cancellationToken)
    {
        ValidateCommit(workspaceId, reservationId, actualCredits, tokens);
        return ExecuteDecisionAsync(workspaceId, reservationId, (Ledger: this, Id: reservationId, Actual: actualCredits, Tokens: tokens), decide, cancellationToken);
    }

    /// <summary>Runs a decision about one reservation in the store (see <see cref="ICreditStore"/>).</summary>
    private ValueTask<TResult> ExecuteDecisionAsync<TState, TResult>(string workspaceId, string reservationId, TState state, Func<ILedgerSession, TState, TResult> operation, CancellationToken cancellationToken)
        => _memoryStore is { } memory
            ? memory.ExecuteAsync(workspaceId, state, operation, cancellationToken)
            : _store.ExecuteAsync(workspaceId, reservationId, state, operation, cancellationToken);
}
