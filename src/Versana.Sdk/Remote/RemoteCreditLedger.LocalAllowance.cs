using System.Collections.Concurrent;
using System.Collections.Immutable;
using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk;

public sealed partial class RemoteCreditLedger
{
    /// <summary>
    /// Fail-open mode: while the service is unreachable, reservations are decided by an in-memory
    /// <see cref="CreditLedger"/> (the same rules as the service) whose workspaces each have the allowance as their
    /// month, priced with the workspace's costs and reservation TTL as the service last reported them. What is
    /// committed locally is charged to the service (reserve + commit under a derived key, so exactly once) as soon as
    /// a call succeeds again.
    /// </summary>
    /// <remarks>
    /// The allowance is spent by local commits and comes back only at the local month's refresh, whether or not the
    /// service accepted the charge later: a process never grants more than the allowance a month per workspace
    /// without the service's knowledge, however many outages there are.
    /// </remarks>
    private sealed class LocalAllowance
    {
        private const string Prefix = "local_";
        private const string PlanName = "FailOpenAllowance";
        private const string UnknownPlan = "unknown (credits service unreachable)";

        private readonly RemoteCreditLedger _owner;
        private readonly CreditLedger _local;
        private readonly TimeSpan _defaultTtl;

        // What the service last said about each workspace: the local workspace is created and kept with these.
        private readonly ConcurrentDictionary<string, Terms> _terms = new(StringComparer.Ordinal);

        // The local workspaces, and how far into each one's audit trail the charges have reached the service.
        private readonly ConcurrentDictionary<string, long> _reconciledUpTo = new(StringComparer.Ordinal);

        // The local commits already counted in _unreconciled: a retried commit is not counted twice.
        private readonly ConcurrentDictionary<string, byte> _counted = new(StringComparer.Ordinal);

        // Local reservations priced at the ledger's default because the service's price was never seen: the service
        // prices them when they are charged, as it would have.
        private readonly ConcurrentDictionary<string, byte> _provisional = new(StringComparer.Ordinal);

        private long _unreconciled;
        private int _reconciling;

        // How many of the head charge's derived keys ended without a charge (their reservation expired while the
        // service was away again): the next one is used. Only the one reconciler at a time reads or writes it.
        private int _headRetries;

        public LocalAllowance(RemoteCreditLedger owner, long allowance, TimeProvider timeProvider)
        {
            _owner = owner;
            var options = new CreditLedgerOptions();
            options.Plans.Add(new CreditPlan(PlanName, 0m, allowance));
            _defaultTtl = options.ReservationTtl;
            _local = CreditLedger.CreateInMemory(options, timeProvider);
        }

        /// <summary>Gets the credits committed locally and not yet charged to the service.</summary>
        public long Unreconciled => Interlocked.Read(ref _unreconciled);

        public static bool IsLocal(string reservationId) => reservationId.StartsWith(Prefix, StringComparison.Ordinal);

        /// <summary>Remembers the workspace's terms from a reservation the service granted.</summary>
        public void Learn(string workspaceId, ReservationRequest request, CreditReservationResult result)
        {
            var terms = _terms.GetValueOrDefault(workspaceId) ?? Terms.Unknown;
            var learned = terms with { TimeZoneId = result.Balance.TimeZoneId, AutomationEnabled = result.Balance.AutomationEnabled };
            if (result.Reservation is { } reservation && reservation.Status == ReservationStatus.Held)
            {
                if (request.Credits is null)
                {
                    learned = learned with { Costs = learned.Costs.SetItem(reservation.Feature.Name, reservation.Credits) };
                }

                if (request.Ttl is null)
                {
                    learned = learned with { Ttl = reservation.ExpiresAt - reservation.CreatedAt };
                }
            }

            if (learned != terms)
            {
                _terms[workspaceId] = learned;
            }
        }

        /// <summary>
        /// Answers a reserve whose key this process granted locally, even with the service back: the service never
        /// saw that key, and a second reservation for it would charge the action twice.
        /// </summary>
        public async ValueTask<CreditReservationResult?> TryReserveKnownAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken)
        {
            if (_reconciledUpTo.IsEmpty || !_reconciledUpTo.ContainsKey(workspaceId)
                || await _local.GetReservationAsync(workspaceId, ReservationIds.FromKey(request.IdempotencyKey), cancellationToken).ConfigureAwait(false) is null)
            {
                return null;
            }

            return Public(await _local.ReserveAsync(workspaceId, request, cancellationToken).ConfigureAwait(false));
        }

        public async ValueTask<CreditReservationResult> ReserveAsync(string workspaceId, ReservationRequest request, CreditLedgerException unavailable, CancellationToken cancellationToken)
        {
            var terms = _terms.GetValueOrDefault(workspaceId) ?? Terms.Unknown;
            var priced = terms.Costs.ContainsKey(request.Feature.Name);
            if (!priced && !AiFeature.BuiltIn.Contains(request.Feature))
            {
                // A feature of the workspace's own that this process never saw priced: it cannot be decided here.
                RemoteLedgerLog.AllowanceExhausted(_owner._logger, request.Credits ?? 0, request.Feature);
                throw unavailable;
            }

            await EnsureWorkspaceAsync(workspaceId, terms, cancellationToken).ConfigureAwait(false);
            var result = await _local.ReserveAsync(workspaceId, request with { Ttl = request.Ttl ?? terms.Ttl ?? _defaultTtl }, cancellationToken).ConfigureAwait(false);
            if (!result.IsGranted)
            {
                RemoteLedgerLog.AllowanceExhausted(_owner._logger, result.Denial.Requested, request.Feature);
                throw unavailable;
            }

            if (!priced && request.Credits is null)
            {
                _provisional.TryAdd(workspaceId + "\n" + result.Reservation.Id, 0);
            }

            RemoteLedgerLog.GrantedLocally(_owner._logger, result.Reservation.Credits, request.Feature, result.Balance.Available);
            return Public(result);
        }

        public async ValueTask<CommitResult> CommitAsync(string workspaceId, string reservationId, long? actualCredits, long? tokens, CancellationToken cancellationToken)
        {
            var result = await _local.CommitAsync(workspaceId, LocalId(reservationId), actualCredits, tokens, cancellationToken).ConfigureAwait(false);
            if (_counted.TryAdd(workspaceId + "\n" + result.Reservation.Id, 0))
            {
                Interlocked.Add(ref _unreconciled, result.Charged);
            }

            return result with { Reservation = Public(result.Reservation), Balance = Public(result.Balance) };
        }

        public async ValueTask<ReleaseResult> ReleaseAsync(string workspaceId, string reservationId, CancellationToken cancellationToken)
        {
            var result = await _local.ReleaseAsync(workspaceId, LocalId(reservationId), cancellationToken).ConfigureAwait(false);
            return result with { Reservation = Public(result.Reservation), Balance = Public(result.Balance) };
        }

        /// <summary>A call succeeded: charge what was used while the service was away, one caller at a time.</summary>
        public void ServiceIsBack()
        {
            if (Interlocked.Read(ref _unreconciled) > 0 && Interlocked.Exchange(ref _reconciling, 1) == 0)
            {
                _ = ReconcileAsync();
            }
        }

        private async ValueTask EnsureWorkspaceAsync(string workspaceId, Terms terms, CancellationToken cancellationToken)
        {
            var costs = terms.Costs.ToDictionary(c => new AiFeature(c.Key), c => c.Value);
            if (!_reconciledUpTo.ContainsKey(workspaceId))
            {
                try
                {
                    await _local.CreateWorkspaceAsync(
                        new WorkspaceSettings(workspaceId, PlanName) { TimeZoneId = terms.TimeZoneId, AutomationEnabled = terms.AutomationEnabled, Costs = costs },
                        cancellationToken).ConfigureAwait(false);
                }
                catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.WorkspaceAlreadyExists)
                {
                    // A concurrent first reserve created it with other terms; the update below settles them.
                }

                _reconciledUpTo.TryAdd(workspaceId, 0);
            }

            // Unchanged settings add nothing: the rules write only what changes.
            await _local.UpdateSettingsAsync(workspaceId, new WorkspaceSettingsUpdate { AutomationEnabled = terms.AutomationEnabled, Costs = costs }, cancellationToken).ConfigureAwait(false);
        }

        private async Task ReconcileAsync()
        {
            try
            {
                foreach (var workspaceId in _reconciledUpTo.Keys)
                {
                    if (!await ReconcileAsync(workspaceId).ConfigureAwait(false))
                    {
                        return; // still away: the next successful call tries again
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _reconciling, 0);
            }
        }

        /// <summary>Charges the workspace's local commits in order; false when the service is away again.</summary>
        private async Task<bool> ReconcileAsync(string workspaceId)
        {
            while (true)
            {
                var after = _reconciledUpTo[workspaceId];
                var entries = await _local.GetEntriesAsync(workspaceId, after, 100).ConfigureAwait(false);
                if (entries.Count == 0)
                {
                    return true;
                }

                foreach (var entry in entries)
                {
                    if (entry.Kind == LedgerEntryKind.Committed && entry.Credits > 0 && !await ChargeAsync(workspaceId, entry).ConfigureAwait(false))
                    {
                        return false;
                    }

                    _reconciledUpTo[workspaceId] = entry.Sequence;
                }
            }
        }

        /// <summary>Charges one local commit to the service; false when the service is away again.</summary>
        private async Task<bool> ChargeAsync(string workspaceId, LedgerEntry commit)
        {
            var credits = commit.Credits;

            // A call that named no amount and reported no lower cost is priced by the service, as it would have been.
            var priced = _provisional.TryGetValue(workspaceId + "\n" + commit.ReservationId, out _) && commit.Returned is null;
            while (true)
            {
                var id = Prefix + commit.ReservationId;
                var key = _headRetries == 0 ? "reconcile." + id : $"reconcile.{id}.{_headRetries}";
                var request = new ReservationRequest(commit.Feature!.Value, key) { Credits = priced ? null : credits, Actor = commit.Actor };
                try
                {
                    var reserved = await _owner.ReserveCoreAsync(workspaceId, request, CancellationToken.None).ConfigureAwait(false);
                    if (reserved.Reservation?.Status is ReservationStatus.Expired or ReservationStatus.Released)
                    {
                        // This key's reservation was made, then lapsed before its commit got through: it can never
                        // charge, so a new key can without charging twice.
                        _headRetries++;
                        continue;
                    }

                    if (reserved.IsGranted)
                    {
                        try
                        {
                            await _owner.CommitAsync(workspaceId, reserved.Reservation.Id, tokens: commit.Tokens).ConfigureAwait(false);
                        }
                        catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.ReservationExpired)
                        {
                            // It lapsed between its reserve and its commit: as above, the next key can charge.
                            _headRetries++;
                            continue;
                        }

                        RemoteLedgerLog.Reconciled(_owner._logger, credits, workspaceId);
                    }
                    else
                    {
                        // Spent all the same: the allowance does not come back for a charge the service refused.
                        RemoteLedgerLog.ReconcileRefused(_owner._logger, credits, workspaceId, reserved.Denial.Reason.ToString());
                    }
                }
                catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.LedgerUnavailable)
                {
                    return false;
                }
                catch (Exception ex) when (ex is CreditLedgerException or ArgumentException)
                {
                    RemoteLedgerLog.ReconcileRefused(_owner._logger, credits, workspaceId, ex.Message);
                }

                _headRetries = 0;
                Interlocked.Add(ref _unreconciled, -credits);
                return true;
            }
        }

        private static string LocalId(string reservationId) => reservationId[Prefix.Length..];

        private static CreditReservationResult Public(CreditReservationResult result)
            => new() { Reservation = result.Reservation is { } r ? Public(r) : null, Denial = result.Denial, Balance = Public(result.Balance) };

        private static CreditReservation Public(CreditReservation reservation) => reservation with { Id = Prefix + reservation.Id };

        /// <summary>
        /// What this process knows while it cannot ask: only its own allowance, stated as such. Never paused, so a
        /// cached local balance does not refuse calls once the service is back.
        /// </summary>
        private static CreditBalance Public(CreditBalance balance)
            => balance with { Plan = UnknownPlan, PendingPlan = null, Paused = false, PauseReason = null, ResumesAt = null };

        /// <summary>The workspace's terms as the service last reported them; the ledger's defaults for what it never did.</summary>
        private sealed record Terms(string? TimeZoneId, bool AutomationEnabled, TimeSpan? Ttl, ImmutableDictionary<string, long> Costs)
        {
            public static Terms Unknown { get; } = new(null, true, null, ImmutableDictionary<string, long>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase));
        }
    }
}
