using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Versana.Sdk;

/// <summary>
/// The credit guard: reserve, run, then commit on success or release on failure and cancellation.
/// </summary>
internal sealed class CreditGuard : ICreditGuard
{
    private const int MaxAttempts = 16;

    private readonly ICreditLedger _ledger;
    private readonly BalanceCache _cache;
    private readonly IWorkspaceAccessor _workspaces;
    private readonly VersanaDiagnostics _diagnostics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _balanceCacheAge;

    public CreditGuard(
        ICreditLedger ledger,
        BalanceCache cache,
        IWorkspaceAccessor workspaces,
        VersanaDiagnostics diagnostics,
        TimeProvider timeProvider,
        IOptions<VersanaOptions> options,
        ILogger<CreditGuard>? logger = null)
    {
        _ledger = ledger;
        _cache = cache;
        _workspaces = workspaces;
        _diagnostics = diagnostics;
        _timeProvider = timeProvider;
        _balanceCacheAge = options.Value.BalanceCacheAge;
        _logger = logger ?? NullLogger<CreditGuard>.Instance;
    }

    public async ValueTask<T> ExecuteAsync<T>(AiFeature feature, Func<CreditGuardContext, CancellationToken, ValueTask<T>> action, AiCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await TryExecuteAsync(feature, action, options, cancellationToken).ConfigureAwait(false);
        return result.Succeeded
            ? result.Value!
            : throw new AiPausedException(result.Denial, _cache.TryGetBalance(WorkspaceOf(options), TimeSpan.MaxValue));
    }

    public async ValueTask<CreditGuardResult<T>> TryExecuteAsync<T>(AiFeature feature, Func<CreditGuardContext, CancellationToken, ValueTask<T>> action, AiCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var hold = await ReserveAsync(feature, options, cancellationToken).ConfigureAwait(false);
        await using var disposeHold = hold.ConfigureAwait(false);
        if (!hold.IsGranted)
        {
            return new CreditGuardResult<T>(hold.Denial);
        }

        // The action runs in the guard's activity and as the enclosing action of the guarded calls it makes.
        if (hold.Activity is { } activity)
        {
            Activity.Current = activity;
        }

        T value;
        using (hold.Enter())
        {
            value = await action(hold.Context, cancellationToken).ConfigureAwait(false);
        }

        // A failed or cancelled action never gets here: disposing the hold gives its credits back.
        await hold.CommitAsync().ConfigureAwait(false);
        return new CreditGuardResult<T>(value);
    }

    public async ValueTask<CreditHold> ReserveAsync(AiFeature feature, AiCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (feature.IsEmpty)
        {
            throw new ArgumentException("The guarded action names no AI feature.", nameof(feature));
        }

        var workspaceId = WorkspaceOf(options);

        // One user action is charged once: an enclosing guarded action already holds credits for this feature.
        if (GuardScope.Find(workspaceId, feature) is { } outer)
        {
            GuardLog.Reused(_logger, feature, outer.ReservationId);
            return CreditHold.PaidElsewhere(outer, LastKnownBalance(workspaceId));
        }

        // A remembered refusal fails fast without a round trip; only refusals are ever served from memory. A call with
        // a key may retry an action already paid for, which the ledger serves whatever the balance is now.
        if (options?.IdempotencyKey is null && TryGetRememberedRefusal(workspaceId, feature, options?.Credits) is { } remembered)
        {
            return CreditHold.Refused(remembered, LastKnownBalance(workspaceId));
        }

        var baseKey = options?.IdempotencyKey ?? Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("N");
        long? started = _diagnostics.MeasuresDuration ? _timeProvider.GetTimestamp() : null;
        var activity = VersanaDiagnostics.ActivitySource.HasListeners() ? VersanaDiagnostics.ActivitySource.StartActivity("versana.guard " + feature.Name) : null;
        activity?.SetTag("versana.feature", feature.Name);
        CreditReservationResult reservation;
        try
        {
            reservation = await ReserveWithRetriesAsync(workspaceId, feature, baseKey, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            activity?.Dispose();
            throw;
        }

        if (!reservation.IsGranted)
        {
            activity?.SetTag("versana.outcome", "denied");
            activity?.Dispose();
            return CreditHold.Refused(reservation.Denial, reservation.Balance);
        }

        var context = new CreditGuardContext(workspaceId, feature, reservation.Reservation) { ActionKey = baseKey };
        if (reservation.Reservation.Status == ReservationStatus.Committed)
        {
            // This user action was already paid for (a retry whose first answer was lost): run, never charge again.
            activity?.SetTag("versana.outcome", "paid");
            activity?.Dispose();
            return CreditHold.PaidElsewhere(context, reservation.Balance);
        }

        return CreditHold.Held(this, context, reservation.Balance, activity, started);
    }

    /// <summary>
    /// Reserves the credits of one user action, or returns the denial (recorded in metrics and logs). A reservation
    /// whose status is <see cref="ReservationStatus.Committed"/> means the action was already paid for.
    /// </summary>
    private async ValueTask<CreditReservationResult> ReserveWithRetriesAsync(string workspaceId, AiFeature feature, string baseKey, AiCallOptions? options, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            // An earlier attempt of this user action failed and gave its credits back: this retry is the next
            // attempt, under a key derived the same way by every concurrent duplicate of it.
            if (attempt > MaxAttempts)
            {
                throw new InvalidOperationException($"The user action with idempotency key '{baseKey}' failed {MaxAttempts} times; use a new key for a new action.");
            }

            var request = new ReservationRequest(feature, AttemptKey(baseKey, attempt)) { Credits = options?.Credits, Ttl = options?.Ttl, Actor = options?.Actor };
            var reservation = await _ledger.ReserveAsync(workspaceId, request, cancellationToken).ConfigureAwait(false);
            if (reservation.Denial is { } denial)
            {
                _diagnostics.Denied(feature, denial.Reason, fromMemo: false);
                GuardLog.Refused(_logger, feature, workspaceId, denial.Reason, false);
                return reservation;
            }

            switch (reservation.Reservation!.Status)
            {
                case ReservationStatus.Held:
                    _diagnostics.Reserved(feature, reservation.Reservation.Credits);
                    return reservation;
                case ReservationStatus.Committed:
                    return reservation;
            }
        }
    }

    /// <summary>Returns a refusal remembered for the workspace and feature, recorded as a fast denial, if any.</summary>
    private CreditDenial? TryGetRememberedRefusal(string workspaceId, AiFeature feature, long? credits)
    {
        if (_cache.TryGetRefusal(workspaceId, feature, credits) is not { } remembered)
        {
            return null;
        }

        _diagnostics.Denied(feature, remembered.Reason, fromMemo: true);
        GuardLog.Refused(_logger, feature, workspaceId, remembered.Reason, true);
        return remembered;
    }

    /// <summary>Gets the last balance any ledger reply showed for the workspace, however old.</summary>
    private CreditBalance? LastKnownBalance(string workspaceId) => _cache.TryGetBalance(workspaceId, TimeSpan.MaxValue);

    /// <summary>Charges the action's reservation (its reported actual cost, if any); the caller's token is not used on purpose.</summary>
    /// <returns>The balance after the charge, or <see langword="null"/> when there was nothing left to charge.</returns>
    internal async ValueTask<CreditBalance?> CommitAsync(CreditGuardContext context)
    {
        CommitResult commit;
        try
        {
            commit = await _ledger.CommitAsync(context.WorkspaceId, context.ReservationId, context.ActualCredits, context.TokensUsed, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.ReservationExpired)
        {
            // The action outlived its hold and the ledger gave the credits back, but the work ran and its result is
            // the caller's: it is charged now, as the user action's next attempt, when the pool allows.
            return await ChargeLateAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            GuardLog.CommitFailed(_logger, ex, context.ReservationId, context.Feature);
            throw;
        }

        _diagnostics.Committed(context.Feature, commit.Charged);
        if (commit.Returned > 0)
        {
            _diagnostics.Released(context.Feature, commit.Returned);
        }

        return commit.Balance;
    }

    private async ValueTask<CreditBalance?> ChargeLateAsync(CreditGuardContext context)
    {
        var credits = context.ActualCredits ?? context.Reservation.Credits;
        if (credits == 0)
        {
            return null;
        }

        var options = new AiCallOptions { Credits = credits, Actor = context.Reservation.Actor };
        var late = await ReserveWithRetriesAsync(context.WorkspaceId, context.Feature, context.ActionKey, options, CancellationToken.None).ConfigureAwait(false);
        if (!late.IsGranted)
        {
            GuardLog.LateChargeRefused(_logger, context.Feature, context.WorkspaceId, context.ReservationId);
            return late.Balance;
        }

        if (late.Reservation.Status == ReservationStatus.Committed)
        {
            // A duplicate of this user action already paid for it.
            return late.Balance;
        }

        var commit = await _ledger.CommitAsync(context.WorkspaceId, late.Reservation.Id, null, context.TokensUsed, CancellationToken.None).ConfigureAwait(false);
        _diagnostics.Committed(context.Feature, commit.Charged);
        GuardLog.ChargedLate(_logger, context.Feature, context.ReservationId, late.Reservation.Id);
        return commit.Balance;
    }

    public async ValueTask<CreditBalance> GetBalanceAsync(string? workspaceId = null, CancellationToken cancellationToken = default)
    {
        var id = workspaceId ?? WorkspaceOf(null);
        return _cache.TryGetBalance(id, _balanceCacheAge)
            ?? await _ledger.GetBalanceAsync(id, cancellationToken).ConfigureAwait(false);
    }

    private static string AttemptKey(string baseKey, int attempt)
    {
        if (attempt == 0)
        {
            return baseKey;
        }

        var key = $"{baseKey}.retry{attempt}";
        return key.Length <= 128 ? key : $"{Ledger.Storage.ReservationIds.FromKey(baseKey)}.retry{attempt}";
    }

    /// <summary>
    /// Gives the action's credits back and returns the balance after it; a failure is logged, not thrown, since
    /// the TTL returns them anyway (then there is no balance).
    /// </summary>
    internal async ValueTask<CreditBalance?> ReleaseAsync(CreditGuardContext context)
    {
        try
        {
            var release = await _ledger.ReleaseAsync(context.WorkspaceId, context.ReservationId, CancellationToken.None).ConfigureAwait(false);
            _diagnostics.Released(context.Feature, release.Returned);
            return release.Balance;
        }
        catch (Exception ex) when (ex is CreditLedgerException or HttpRequestException or TimeoutException or IOException)
        {
            // The action's own exception matters more; the ledger's TTL gives the credits back regardless.
            GuardLog.ReleaseFailed(_logger, ex, context.ReservationId, context.Feature);
            return null;
        }
    }

    /// <summary>Records a guarded action's duration, when it was measured from its start.</summary>
    internal void Completed(AiFeature feature, string outcome, long? started) => _diagnostics.Completed(feature, outcome, _timeProvider, started);

    private string WorkspaceOf(AiCallOptions? options)
        => options?.WorkspaceId ?? _workspaces.WorkspaceId ?? throw new InvalidOperationException(
            "No workspace to charge: set VersanaOptions.WorkspaceId, pass AiCallOptions.WorkspaceId, or register an IWorkspaceAccessor that resolves it.");
}
