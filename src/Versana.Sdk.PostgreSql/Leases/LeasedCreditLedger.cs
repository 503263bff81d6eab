using System.Collections.Concurrent;
using Versana.Sdk.Ledger;
using Versana.Sdk.Ledger.Storage;
using Versana.Sdk.PostgreSql.Leases;

namespace Versana.Sdk.PostgreSql;

/// <summary>
/// A PostgreSQL ledger in lease mode: reservations are served from blocks of credits this process took from
/// the pool (one transaction per block), their commits written durably without locking the workspace row, and
/// settled into the audit trail in batches. Everything else goes to the shared ledger as usual.
/// </summary>
/// <remarks>
/// The pool is never overspent: a lease holds its credits in the ledger like a reservation does. Credits parked
/// in a lease are invisible to other processes until it is returned (when idle, at shutdown, at the refresh) or,
/// if the process dies, until it expires; see docs/postgres.md.
/// </remarks>
public sealed partial class LeasedCreditLedger : ICreditLedger, IAsyncDisposable
{
    // Other processes expire a lease by their own clocks: a reservation is served from one only if it ends this long before the lease.
    private static readonly TimeSpan s_clockAllowance = CreditLeaseOptions.ClockAllowance;

    // Run as a lease's round trip only if the one it waits for ended first: then there is nothing left to do.
    private static readonly Func<WorkspaceLease, Task> s_waitForRoundTrip = static _ => Task.CompletedTask;

    private readonly CreditLedger _ledger;
    private readonly LeaseChargeWriter _charges;
    private readonly TimeProvider _timeProvider;
    private readonly CreditLeaseOptions _options;
    private readonly TimeSpan _leaseTtl;
    private readonly TimeSpan _reservationTtl;
    private readonly ConcurrentDictionary<string, WorkspaceLease> _workspaces = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _maintenance;
    private int _disposed;

    internal LeasedCreditLedger(CreditLedger ledger, PostgresCreditStore store, CreditLeaseOptions options, TimeProvider timeProvider)
    {
        _ledger = ledger;
        _options = options;
        _timeProvider = timeProvider;
        _reservationTtl = ledger.DefaultReservationTtl;
        _leaseTtl = options.ResolveTtl(_reservationTtl);
        _charges = new LeaseChargeWriter(store.DataSource, store.QuotedSchema);
        _maintenance = Task.Run(MaintainAsync);
    }

    /// <summary>Gets the shared ledger the leases are taken from (every other decision goes to it).</summary>
    public CreditLedger Ledger => _ledger;

    /// <inheritdoc/>
    public ValueTask<CreditBalance> CreateWorkspaceAsync(WorkspaceSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ThroughSharedAsync(settings.WorkspaceId, settings, static (l, s, ct) => l.CreateWorkspaceAsync(s, ct), s_balance, s_withBalance, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Applies to this process's lease at once; other processes' leases get it at their next settlement.</remarks>
    public async ValueTask<CreditBalance> UpdateSettingsAsync(string workspaceId, WorkspaceSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        var balance = await ThroughSharedAsync(workspaceId, (Id: workspaceId, Update: update), static (l, s, ct) => l.UpdateSettingsAsync(s.Id, s.Update, ct), s_balance, s_withBalance, cancellationToken).ConfigureAwait(false);
        RulesChanged(workspaceId);
        return balance;
    }

    /// <inheritdoc/>
    /// <remarks>Applies to this process's lease at once; other processes' leases get it at their next settlement.</remarks>
    public async ValueTask<PlanChangeResult> ChangePlanAsync(string workspaceId, string plan, CancellationToken cancellationToken = default)
    {
        var result = await ThroughSharedAsync(
            workspaceId,
            (Id: workspaceId, Plan: plan),
            static (l, s, ct) => l.ChangePlanAsync(s.Id, s.Plan, ct),
            static r => r.Balance,
            static (r, b) => r with { Balance = b },
            cancellationToken).ConfigureAwait(false);
        RulesChanged(workspaceId);
        return result;
    }

    /// <summary>
    /// A lease serves by the rules its last grant carried; after a change made through this process it serves
    /// nothing more until a grant asked for after the change brings them (the next reservation fetches one).
    /// </summary>
    private void RulesChanged(string workspaceId)
    {
        if (_workspaces.TryGetValue(workspaceId, out var lease))
        {
            lock (lease)
            {
                lease.PolicyVersion++;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<BoostPackPurchase> PurchaseBoostPackAsync(string workspaceId, BoostPackRequest request, CancellationToken cancellationToken = default)
        => ThroughSharedAsync(
            workspaceId,
            (Id: workspaceId, Request: request),
            static (l, s, ct) => l.PurchaseBoostPackAsync(s.Id, s.Request, ct),
            static r => r.Balance,
            static (r, b) => r with { Balance = b },
            cancellationToken);

    /// <inheritdoc/>
    public ValueTask<UsageReport> GetUsageAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
        => _ledger.GetUsageAsync(workspaceId, from, to, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence = 0, int limit = 100, CancellationToken cancellationToken = default)
        => _ledger.GetEntriesAsync(workspaceId, afterSequence, limit, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<LedgerVerification> VerifyAsync(string workspaceId, CancellationToken cancellationToken = default)
        => _ledger.VerifyAsync(workspaceId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<CreditReservation?> GetReservationAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default)
    {
        CreditLedger.ValidateWorkspaceId(workspaceId);
        CreditLedger.ValidateKey(reservationId, nameof(reservationId));
        if (_workspaces.TryGetValue(workspaceId, out var lease))
        {
            lock (lease)
            {
                if (lease.Reservations.TryGetValue(reservationId, out var reservation))
                {
                    return new ValueTask<CreditReservation?>(reservation.ToPublic(workspaceId));
                }
            }
        }

        return _ledger.GetReservationAsync(workspaceId, reservationId, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<CreditReservationResult> ReserveAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken = default)
    {
        _ = _ledger.ValidateReservation(workspaceId, request);
        var id = ReservationIds.FromKey(request.IdempotencyKey);
        var lease = _workspaces.GetOrAdd(workspaceId, static id => new WorkspaceLease(id));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Func<WorkspaceLease, Task>? fetch;
            lock (lease)
            {
                var now = _timeProvider.GetUtcNow();
                if (TryServe(lease, request, id, now, out var served, out fetch))
                {
                    if (fetch is not null)
                    {
                        // Served, and the lease is running low: top it up in the background, before callers wait for it.
                        _ = TopUpInBackgroundAsync(lease, fetch);
                    }

                    return served;
                }
            }

            if (fetch is null)
            {
                break;
            }

            await RunExclusiveAsync(lease, fetch, cancellationToken).ConfigureAwait(false);
        }

        // The lease cannot serve this one (the pool is dry, the rules say no, or the period just ended): the
        // shared ledger decides, with its exact denial and reason. Its free credits go back first: parked, they
        // would make the shared ledger refuse credits this process has, or spend a boost pack before the month.
        await ReduceAsync(lease, request.Feature, cancellationToken).ConfigureAwait(false);
        lock (lease)
        {
            // Remembered for as long as a lease-served reservation would be: its retries must find what it decided.
            var until = _timeProvider.GetUtcNow() + (request.Ttl ?? _reservationTtl) + _options.CompletedRetention;
            if (!lease.DecidedCentrally.TryGetValue(id, out var known) || known < until)
            {
                lease.DecidedCentrally[id] = until;
            }
        }

        return await ThroughSharedAsync(
            workspaceId,
            (Id: workspaceId, Request: request),
            static (l, s, ct) => l.ReserveAsync(s.Id, s.Request, ct),
            static r => r.Balance,
            static (r, b) => r with { Balance = b, Denial = r.Denial is { } denial ? denial with { Available = b.Available } : null },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<CommitResult> CommitAsync(string workspaceId, string reservationId, long? actualCredits = null, long? tokens = null, CancellationToken cancellationToken = default)
    {
        CreditLedger.ValidateCommit(workspaceId, reservationId, actualCredits, tokens);
        if (!_workspaces.TryGetValue(workspaceId, out var lease))
        {
            return await CommitCentrallyAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken).ConfigureAwait(false);
        }

        Task<CommitResult> commit;
        lock (lease)
        {
            if (!lease.Reservations.TryGetValue(reservationId, out var reservation))
            {
                commit = CommitCentrallyAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken);
            }
            else
            {
                commit = reservation.Committing ?? StartCommit(lease, reservation, actualCredits, tokens);
            }
        }

        return await commit.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ReleaseResult> ReleaseAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default)
    {
        CreditLedger.ValidateWorkspaceId(workspaceId);
        CreditLedger.ValidateKey(reservationId, nameof(reservationId));
        if (_workspaces.TryGetValue(workspaceId, out var lease))
        {
            Task<CommitResult>? committing = null;
            lock (lease)
            {
                if (lease.Reservations.TryGetValue(reservationId, out var reservation))
                {
                    if (reservation.Committing is null)
                    {
                        return Release(lease, reservation, _timeProvider.GetUtcNow());
                    }

                    committing = reservation.Committing;
                }
            }

            if (committing is not null)
            {
                // A release racing its own commit: the commit decides, and a committed reservation cannot be released.
                var committed = await committing.WaitAsync(cancellationToken).ConfigureAwait(false);
                throw LedgerRefusals.CannotRelease(reservationId, committed.Charged);
            }
        }

        try
        {
            return await ThroughSharedAsync(
                workspaceId,
                (Id: workspaceId, ReservationId: reservationId),
                static (l, s, ct) => l.ReleaseAsync(s.Id, s.ReservationId, ct),
                static r => r.Balance,
                static (r, b) => r with { Balance = b },
                cancellationToken).ConfigureAwait(false);
        }
        catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.ReservationNotFound)
        {
            throw NotHere(reservationId, ex);
        }
    }

    private async Task<CommitResult> CommitCentrallyAsync(string workspaceId, string reservationId, long? actualCredits, long? tokens, CancellationToken cancellationToken)
    {
        try
        {
            return await ThroughSharedAsync(
                workspaceId,
                (Id: workspaceId, ReservationId: reservationId, Actual: actualCredits, Tokens: tokens),
                static (l, s, ct) => l.CommitAsync(s.Id, s.ReservationId, s.Actual, s.Tokens, ct),
                static r => r.Balance,
                static (r, b) => r with { Balance = b },
                cancellationToken).ConfigureAwait(false);
        }
        catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.ReservationNotFound)
        {
            throw NotHere(reservationId, ex);
        }
    }

    private static CreditLedgerException NotHere(string reservationId, CreditLedgerException ex) => new(
        CreditLedgerError.ReservationNotFound,
        $"Neither this process nor the shared ledger knows reservation '{reservationId}'. In lease mode a reservation lives in the process that made it until it is committed and settled: send its commit or release to that process (or it expired and was forgotten).",
        ex);

    /// <summary>Gives every lease back (settling its charges), then closes the shared ledger.</summary>
    /// <returns>A task that completes when everything is written.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _maintenance.ConfigureAwait(false);
        foreach (var lease in _workspaces.Values)
        {
            try
            {
                lock (lease)
                {
                    lease.Returning = true;
                }

                await RunExclusiveAsync(lease, ReturnAsync, CancellationToken.None, mustRun: true).ConfigureAwait(false);
            }
            catch (CreditLedgerException)
            {
                // The database is unreachable: the lease expires by its TTL and its charges are settled then.
            }
        }

        await _charges.DisposeAsync().ConfigureAwait(false);
        await _ledger.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private bool TryServe(WorkspaceLease lease, ReservationRequest request, string id, DateTimeOffset now, out CreditReservationResult served, out Func<WorkspaceLease, Task>? fetch)
    {
        served = null!;
        fetch = null;
        lease.ExpireDue(now);
        if (lease.Reservations.TryGetValue(id, out var existing) && string.Equals(existing.IdempotencyKey, request.IdempotencyKey, StringComparison.Ordinal))
        {
            if (existing.Feature != request.Feature || (request.Credits is { } asked && asked != existing.Credits))
            {
                throw LedgerRefusals.KeyReused(request.IdempotencyKey, existing.Credits, existing.Feature);
            }

            served = new CreditReservationResult { Reservation = existing.ToPublic(lease.WorkspaceId), Balance = lease.View(now) };
            return true;
        }

        if (lease.DecidedCentrally.ContainsKey(id))
        {
            // The shared ledger knows this key: only it can answer a retry (the same reservation, or the key reused).
            return false;
        }

        if (lease.LeaseId is null)
        {
            // No lease yet (or the last was given back): take one, unless the pool was just found dry.
            fetch = now >= lease.DryUntil ? TakeAsync : null;
            return false;
        }

        if (lease.Reducing)
        {
            // Its free credits are on their way back: wait for that round trip, then decide again.
            fetch = s_waitForRoundTrip;
            return false;
        }

        if (lease.Returning)
        {
            // Finish the return under way (or decided), then take a new lease.
            fetch = ReturnAsync;
            return false;
        }

        if (now >= lease.PeriodEnd)
        {
            // The refresh: the lease's monthly credits belong to the period that ended. It is given back once
            // nothing is held in it; until then the shared ledger serves.
            if (lease.Open.Count == 0)
            {
                lease.Returning = true;
                fetch = ReturnAsync;
            }

            return false;
        }

        if (lease.AppliedPolicyVersion != lease.PolicyVersion)
        {
            fetch = RenewAsync;
            return false;
        }

        var policy = lease.Policy!;
        if (!policy.IncludesAi || (request.Feature == AiFeature.AutomatedResponse && !policy.AutomationEnabled))
        {
            return false;
        }

        long credits;
        if (request.Credits is { } requested)
        {
            credits = requested;
        }
        else if (!policy.Costs.TryGetValue(request.Feature.Name, out credits))
        {
            return false;
        }

        var expiresAt = now + (request.Ttl ?? _reservationTtl);
        if (expiresAt + s_clockAllowance > lease.ExpiresAt)
        {
            fetch = RenewAsync;
            return false;
        }

        if (lease.Free < credits)
        {
            fetch = now >= lease.DryUntil ? RefillAsync(credits) : null;
            return false;
        }

        var reservation = new LeasedReservation
        {
            Id = id,
            IdempotencyKey = request.IdempotencyKey,
            LeaseId = lease.LeaseId,
            Feature = request.Feature,
            Credits = credits,
            PeriodStart = lease.PeriodStart,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            Actor = request.Actor,
        };
        lease.Hold(reservation);
        lease.LastActivity = now;
        if (lease.Free < _options.BlockSize / 2 && lease.Busy is null && now >= lease.DryUntil)
        {
            fetch = RefillAsync(_options.BlockSize);
        }

        served = new CreditReservationResult { Reservation = reservation.ToPublic(lease.WorkspaceId), Balance = lease.View(now) };
        return true;
    }

    private Task<CommitResult> StartCommit(WorkspaceLease lease, LeasedReservation reservation, long? actualCredits, long? tokens)
    {
        var now = _timeProvider.GetUtcNow();
        switch (reservation.Status)
        {
            case ReservationStatus.Committed when actualCredits is null || actualCredits == reservation.CommittedCredits:
                var charged = reservation.CommittedCredits ?? 0;
                return Task.FromResult(new CommitResult(reservation.ToPublic(lease.WorkspaceId), charged, reservation.Credits - charged, lease.View(now)));

            case ReservationStatus.Committed:
                throw LedgerRefusals.CommittedWithOtherAmount(reservation.Id, reservation.CommittedCredits);

            case ReservationStatus.Released:
                throw LedgerRefusals.Released(reservation.Id);

            case ReservationStatus.Expired:
                throw Expired(reservation);
        }

        if (now >= reservation.ExpiresAt)
        {
            lease.Complete(reservation, ReservationStatus.Expired, now);
            throw Expired(reservation);
        }

        var actual = actualCredits ?? reservation.Credits;
        if (actual > reservation.Credits)
        {
            throw LedgerRefusals.OverCharge(reservation.Id, reservation.Credits, actual);
        }

        var charge = new LeaseCharge(
            reservation.Id,
            reservation.IdempotencyKey,
            reservation.Feature,
            reservation.Credits,
            actual,
            tokens,
            reservation.Actor,
            reservation.CreatedAt,
            now,
            reservation.ExpiresAt);
        reservation.Committing = CommitCoreAsync(lease, reservation, charge);
        return reservation.Committing;
    }

    private async Task<CommitResult> CommitCoreAsync(WorkspaceLease lease, LeasedReservation reservation, LeaseCharge charge)
    {
        LeaseChargeOutcome outcome;
        try
        {
            // Durable before it is acknowledged; the lease's row lock makes sure the lease is still open.
            // The completed reservation goes with it, as the shared ledger keeps completed reservations: the reserved
            // and charged credits; its buckets are in the commit entry settlement writes.
            var completed = new ReservationSnapshot(
                charge.ReservationId,
                charge.IdempotencyKey,
                charge.Feature,
                charge.Reserved,
                [],
                lease.PeriodStart,
                charge.ReservedAt,
                charge.ExpiresAt,
                charge.Actor,
                ReservationStatus.Committed,
                charge.Credits,
                charge.CommittedAt);
            outcome = await _charges.WriteAsync(reservation.LeaseId, lease.WorkspaceId, charge, completed).ConfigureAwait(false);
        }
        catch
        {
            lock (lease)
            {
                // Not known to be written: the reservation stays held, and a retry writes it at most once.
                reservation.Committing = null;
            }

            throw;
        }

        if (outcome == LeaseChargeOutcome.KeyTaken)
        {
            lock (lease)
            {
                // Served here for a key another process (or the shared ledger) had completed: that reservation is the
                // key's. This one never existed for the ledger; the shared ledger answers from now on.
                reservation.Committing = null;
                lease.Disown(reservation, _timeProvider.GetUtcNow() + _options.CompletedRetention);
            }

            return await CommitCentrallyAsync(lease.WorkspaceId, charge.ReservationId, charge.Credits, charge.Tokens, CancellationToken.None).ConfigureAwait(false);
        }

        lock (lease)
        {
            reservation.Committing = null;
            var now = _timeProvider.GetUtcNow();
            if (outcome == LeaseChargeOutcome.LeaseClosed)
            {
                // The lease expired in the ledger (this process stalled past its TTL): its credits went back to
                // the pool, this reservation's with them.
                lease.Complete(reservation, ReservationStatus.Expired, now);
                if (string.Equals(lease.LeaseId, reservation.LeaseId, StringComparison.Ordinal))
                {
                    lease.Forget(now);
                }

                throw Expired(reservation);
            }

            reservation.CommittedCredits = charge.Credits;
            lease.Complete(reservation, ReservationStatus.Committed, now);
            if (string.Equals(lease.LeaseId, reservation.LeaseId, StringComparison.Ordinal))
            {
                lease.Charged += charge.Credits;
                lease.Unsettled = true;
            }

            lease.LastActivity = now;
            return new CommitResult(reservation.ToPublic(lease.WorkspaceId), charge.Credits, reservation.Credits - charge.Credits, lease.View(now));
        }
    }

    private static ReleaseResult Release(WorkspaceLease lease, LeasedReservation reservation, DateTimeOffset now)
    {
        switch (reservation.Status)
        {
            case ReservationStatus.Held when now < reservation.ExpiresAt:
                lease.Complete(reservation, ReservationStatus.Released, now);
                lease.LastActivity = now;
                return new ReleaseResult(reservation.ToPublic(lease.WorkspaceId), reservation.Credits, lease.View(now));

            case ReservationStatus.Held:
                lease.Complete(reservation, ReservationStatus.Expired, now);
                return new ReleaseResult(reservation.ToPublic(lease.WorkspaceId), 0, lease.View(now));

            case ReservationStatus.Released:
                return new ReleaseResult(reservation.ToPublic(lease.WorkspaceId), reservation.Credits, lease.View(now));

            case ReservationStatus.Expired:
                return new ReleaseResult(reservation.ToPublic(lease.WorkspaceId), 0, lease.View(now));

            default:
                throw LedgerRefusals.CannotRelease(reservation.Id, reservation.CommittedCredits);
        }
    }

    private static CreditLedgerException Expired(LeasedReservation reservation)
        => LedgerRefusals.Expired(reservation.Id, reservation.ExpiresAt, " (or the lease it was served from did)");

    /// <summary>
    /// Runs one ledger round trip for the lease at a time. A caller arriving while another is under way waits for
    /// that one and returns (it re-decides on the new state), unless <paramref name="mustRun"/> asks for its own.
    /// </summary>
    private static async Task RunExclusiveAsync(WorkspaceLease lease, Func<WorkspaceLease, Task> fetch, CancellationToken cancellationToken, bool mustRun = false)
    {
        while (true)
        {
            Task busy;
            bool mine;
            lock (lease)
            {
                mine = lease.Busy is null;
                if (mine)
                {
                    lease.Changed();
                    lease.Busy = RunAndClearAsync(lease, fetch);
                }

                busy = lease.Busy!;
            }

            try
            {
                await busy.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CreditLedgerException) when (!mine && mustRun)
            {
                // Someone else's round trip failed; this caller still runs its own.
            }

            if (mine || !mustRun)
            {
                return;
            }
        }

        static async Task RunAndClearAsync(WorkspaceLease lease, Func<WorkspaceLease, Task> fetch)
        {
            try
            {
                await Task.Yield();
                await fetch(lease).ConfigureAwait(false);
            }
            finally
            {
                lock (lease)
                {
                    lease.Busy = null;
                }
            }
        }
    }

    private static async Task TopUpInBackgroundAsync(WorkspaceLease lease, Func<WorkspaceLease, Task> fetch)
    {
        try
        {
            await RunExclusiveAsync(lease, fetch, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CreditLedgerException)
        {
            // The database is unreachable: a caller that needs the credits tries again and gets the error.
        }
    }

    private Task TakeAsync(WorkspaceLease lease) => RefillCoreAsync(lease, 0);

    private Task RenewAsync(WorkspaceLease lease) => RefillCoreAsync(lease, 0);

    private Func<WorkspaceLease, Task> RefillAsync(long needed) => lease => RefillCoreAsync(lease, needed);

    private async Task RefillCoreAsync(WorkspaceLease lease, long needed)
    {
        string leaseId;
        bool create;
        long topUp;
        long policyVersion;
        lock (lease)
        {
            var now = _timeProvider.GetUtcNow();
            policyVersion = lease.PolicyVersion;
            create = lease.LeaseId is null;
            leaseId = lease.LeaseId ?? $"lse_{Guid.CreateVersion7(now):N}";
            var missing = needed - lease.Free;
            topUp = create ? Math.Max(_options.BlockSize, needed) : missing > 0 ? Math.Max(_options.BlockSize, missing) : 0;
        }

        var grant = await _ledger.RefillLeaseAsync(lease.WorkspaceId, leaseId, create, topUp, _leaseTtl, CancellationToken.None).ConfigureAwait(false);
        lock (lease)
        {
            var now = _timeProvider.GetUtcNow();
            Apply(lease, grant, policyVersion, now);
            if (grant.IsOpen && lease.Free < needed || !grant.IsOpen && create)
            {
                // The pool has nothing to spare: for a moment, reservations go straight to the shared ledger.
                lease.DryUntil = now + _options.SettleInterval;
            }
        }
    }

    /// <summary>Gives back the lease's free credits (if it has any), keeping those its open reservations hold.</summary>
    private async Task ReduceAsync(WorkspaceLease lease, AiFeature feature, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            lock (lease)
            {
                if (lease.LeaseId is null || lease.Returning || lease.Free <= 0 || RulesRefuse(lease, feature))
                {
                    return;
                }
            }

            await RunExclusiveAsync(lease, ReduceCoreAsync, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the rules the lease has (if they are current) refuse the feature whatever the credits: then they do not matter.</summary>
    private static bool RulesRefuse(WorkspaceLease lease, AiFeature feature)
        => lease.Policy is { } policy && lease.AppliedPolicyVersion == lease.PolicyVersion
            && (!policy.IncludesAi || (feature == AiFeature.AutomatedResponse && !policy.AutomationEnabled));

    private async Task ReduceCoreAsync(WorkspaceLease lease)
    {
        string? leaseId;
        long keep;
        long policyVersion;
        lock (lease)
        {
            leaseId = lease.LeaseId;
            policyVersion = lease.PolicyVersion;
            lease.ExpireDue(_timeProvider.GetUtcNow());

            // Nothing is served while this runs, so what open reservations hold now is all that must stay; the
            // charges written so far are settled by the same call.
            keep = lease.Holding;
            lease.Reducing = true;
        }

        if (leaseId is null)
        {
            return;
        }

        try
        {
            var grant = await _ledger.ReduceLeaseAsync(lease.WorkspaceId, leaseId, keep, CancellationToken.None).ConfigureAwait(false);
            lock (lease)
            {
                Apply(lease, grant, policyVersion, _timeProvider.GetUtcNow());
            }
        }
        finally
        {
            lock (lease)
            {
                lease.Reducing = false;
            }
        }
    }

    private async Task ReturnAsync(WorkspaceLease lease)
    {
        string? leaseId;
        long policyVersion;
        lock (lease)
        {
            leaseId = lease.LeaseId;
            policyVersion = lease.PolicyVersion;
        }

        if (leaseId is null)
        {
            return;
        }

        try
        {
            var grant = await _ledger.ReturnLeaseAsync(lease.WorkspaceId, leaseId, CancellationToken.None).ConfigureAwait(false);
            lock (lease)
            {
                Apply(lease, grant, policyVersion, _timeProvider.GetUtcNow());
            }
        }
        finally
        {
            lock (lease)
            {
                // Given back (or not, if the database failed: then it serves on and is returned later).
                lease.Returning = false;
            }
        }
    }

    /// <summary>Takes in a grant, asked for when the lease's <see cref="WorkspaceLease.PolicyVersion"/> was <paramref name="policyVersion"/>.</summary>
    private static void Apply(WorkspaceLease lease, LeaseGrant grant, long policyVersion, DateTimeOffset now)
    {
        lease.Policy = grant.Policy;
        lease.AppliedPolicyVersion = policyVersion;
        lease.Balance = grant.Balance;
        lease.Changed();
        if (!grant.IsOpen)
        {
            if (string.Equals(lease.LeaseId, grant.LeaseId, StringComparison.Ordinal))
            {
                lease.Forget(now);
            }

            return;
        }

        if (!string.Equals(lease.LeaseId, grant.LeaseId, StringComparison.Ordinal))
        {
            lease.LeaseId = grant.LeaseId;
            lease.Charged = 0;
            lease.Holding = 0;
            lease.LastActivity = now;
        }

        lease.Held = grant.Held;
        lease.Charged -= grant.Settled;
        if (lease.Charged == 0)
        {
            lease.Unsettled = false;
        }

        lease.ExpiresAt = grant.ExpiresAt;
        lease.PeriodStart = grant.PeriodStart;
        lease.PeriodEnd = grant.PeriodEnd;
    }

    private async Task MaintainAsync()
    {
        using var timer = new PeriodicTimer(_options.SettleInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                foreach (var lease in _workspaces.Values)
                {
                    try
                    {
                        if (Maintain(lease) is { } fetch)
                        {
                            await RunExclusiveAsync(lease, fetch, _stopping.Token).ConfigureAwait(false);
                        }
                    }
                    catch (CreditLedgerException)
                    {
                        // The database is unreachable: the next tick tries again.
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposing.
        }
    }

    /// <summary>Expires and forgets local reservations, and says whether the lease is due to be returned or settled.</summary>
    private Func<WorkspaceLease, Task>? Maintain(WorkspaceLease lease)
    {
        lock (lease)
        {
            var now = _timeProvider.GetUtcNow();
            lease.ExpireDue(now);

            while (lease.Completed.TryPeek(out var done) && done.CompletedAt + _options.CompletedRetention <= now)
            {
                lease.Completed.Dequeue();
                lease.Reservations.Remove(done.Id);
            }

            if (lease.DecidedCentrally.Count > 0)
            {
                foreach (var (id, until) in lease.DecidedCentrally.Where(k => k.Value <= now).ToList())
                {
                    lease.DecidedCentrally.Remove(id);
                }
            }

            if (lease.LeaseId is null || lease.Busy is not null)
            {
                return null;
            }

            var idle = lease.Open.Count == 0 && (now - lease.LastActivity >= _options.IdleTimeout || now >= lease.PeriodEnd);
            if (idle)
            {
                lease.Returning = true;
                return ReturnAsync;
            }

            // Settle what was charged (usage and thresholds catch up) and keep the lease ahead of its reservations.
            return lease.Unsettled || lease.ExpiresAt - now < _leaseTtl - _options.SettleInterval ? RenewAsync : null;
        }
    }
}
