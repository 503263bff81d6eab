using System.Collections.Concurrent;

namespace Versana.Sdk;

public sealed partial class RemoteCreditLedger
{
    /// <summary>
    /// Fail-open mode: a per-process allowance of credits granted while the service is unreachable. What is
    /// committed is queued and charged to the service (reserve + commit under a derived key, so exactly once)
    /// as soon as a call succeeds again; the allowance comes back as it is charged.
    /// </summary>
    private sealed class LocalAllowance(RemoteCreditLedger owner, long allowance, TimeProvider timeProvider)
    {
        private const string Prefix = "local_";

        // While the service is away its prices are unknown here: the allowance counts the default ones, and a call
        // that named no amount is charged at the workspace's own price when it is reconciled.
        private static readonly Dictionary<AiFeature, long> s_defaultCosts = new(new CreditLedgerOptions().Costs);

        private readonly ConcurrentDictionary<string, Grant> _held = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<Grant> _pending = new();
        private readonly long _allowance = allowance;
        private long _left = allowance;
        private int _reconciling;

        // How many of the head charge's derived keys ended without a charge (their reservation expired while the
        // service was away again): the next one is used. Only the one reconciler at a time reads or writes it.
        private int _headRetries;

        public long Outstanding => _allowance - Interlocked.Read(ref _left);

        public static bool IsLocal(string reservationId) => reservationId.StartsWith(Prefix, StringComparison.Ordinal);

        public CreditReservationResult Reserve(string workspaceId, ReservationRequest request, CreditLedgerException unavailable)
        {
            var credits = request.Credits ?? s_defaultCosts.GetValueOrDefault(request.Feature, 1);
            var id = Prefix + Ledger.Storage.ReservationIds.FromKey(request.IdempotencyKey);
            if (_held.TryGetValue(id, out var existing))
            {
                return Granted(existing);
            }

            ExpireLapsed();
            while (true)
            {
                var left = Interlocked.Read(ref _left);
                if (left < credits)
                {
                    RemoteLedgerLog.AllowanceExhausted(owner._logger, credits, request.Feature);
                    throw unavailable;
                }

                if (Interlocked.CompareExchange(ref _left, left - credits, left) == left)
                {
                    break;
                }
            }

            var now = timeProvider.GetUtcNow();
            var grant = new Grant(workspaceId, request, new CreditReservation
            {
                Id = id,
                WorkspaceId = workspaceId,
                Feature = request.Feature,
                Credits = credits,
                IdempotencyKey = request.IdempotencyKey,
                CreatedAt = now,
                ExpiresAt = now + (request.Ttl ?? TimeSpan.FromMinutes(2)),
                PeriodStart = now,
                Actor = request.Actor,
                Status = ReservationStatus.Held,
            });
            _held[id] = grant;
            RemoteLedgerLog.GrantedLocally(owner._logger, credits, request.Feature, Interlocked.Read(ref _left));
            return Granted(grant);
        }

        public CommitResult Commit(string reservationId, long? actualCredits)
        {
            var grant = Find(reservationId);
            if (Expire(grant, timeProvider.GetUtcNow()))
            {
                _held.TryRemove(reservationId, out _);
                throw Ledger.LedgerRefusals.Expired(reservationId, grant.Reservation.ExpiresAt);
            }

            if (actualCredits > grant.Reservation.Credits)
            {
                // As the service refuses it: nothing is charged and the hold stays.
                throw Ledger.LedgerRefusals.OverCharge(reservationId, grant.Reservation.Credits, actualCredits.Value);
            }

            if (!_held.TryRemove(new KeyValuePair<string, Grant>(reservationId, grant)))
            {
                // Completed meanwhile by a concurrent call: decide again on what it left.
                return Commit(reservationId, actualCredits);
            }

            var charged = actualCredits ?? grant.Reservation.Credits;
            Interlocked.Add(ref _left, grant.Reservation.Credits - charged);
            var committed = grant with
            {
                Charged = charged,
                Metered = charged < grant.Reservation.Credits,
                Reservation = grant.Reservation with { Status = ReservationStatus.Committed, CommittedCredits = charged },
            };
            if (charged > 0)
            {
                _pending.Enqueue(committed);
            }

            return new CommitResult(committed.Reservation, charged, grant.Reservation.Credits - charged, LocalBalance(grant.WorkspaceId));
        }

        public ReleaseResult Release(string reservationId)
        {
            var grant = Find(reservationId);
            if (Expire(grant, timeProvider.GetUtcNow()))
            {
                // Its credits already went back when it expired; releasing after a failure is still fine.
                _held.TryRemove(reservationId, out _);
                return new ReleaseResult(grant.Reservation with { Status = ReservationStatus.Expired }, 0, LocalBalance(grant.WorkspaceId));
            }

            if (!_held.TryRemove(new KeyValuePair<string, Grant>(reservationId, grant)))
            {
                return Release(reservationId);
            }

            Interlocked.Add(ref _left, grant.Reservation.Credits);
            return new ReleaseResult(grant.Reservation with { Status = ReservationStatus.Released }, grant.Reservation.Credits, LocalBalance(grant.WorkspaceId));
        }

        private Grant Find(string reservationId)
            => _held.TryGetValue(reservationId, out var grant)
                ? grant
                : throw new CreditLedgerException(CreditLedgerError.ReservationNotFound, $"No locally granted reservation '{reservationId}' is held.");

        /// <summary>
        /// Whether the grant is past its TTL; the first caller to find it so gives its allowance back (it stays known,
        /// as expired, for a retry of its reserve, commit or release).
        /// </summary>
        private bool Expire(Grant grant, DateTimeOffset now)
        {
            if (grant.Reservation.Status == ReservationStatus.Expired)
            {
                return true;
            }

            if (grant.Reservation.ExpiresAt > now)
            {
                return false;
            }

            var expired = grant with { Reservation = grant.Reservation with { Status = ReservationStatus.Expired } };
            if (_held.TryUpdate(grant.Reservation.Id, expired, grant))
            {
                Interlocked.Add(ref _left, grant.Reservation.Credits);
                return true;
            }

            // Someone else completed or expired it meanwhile.
            return _held.TryGetValue(grant.Reservation.Id, out var current) && current.Reservation.Status == ReservationStatus.Expired;
        }

        /// <summary>Gives back the allowance of local grants past their TTL, as the service releases its own expired holds.</summary>
        private void ExpireLapsed()
        {
            if (_held.IsEmpty)
            {
                return;
            }

            var now = timeProvider.GetUtcNow();
            foreach (var (id, grant) in _held)
            {
                // An expired grant is kept a while for retries, then forgotten, so grants never completed do not pile up.
                if (Expire(grant, now) && grant.Reservation.ExpiresAt + TimeSpan.FromMinutes(10) <= now)
                {
                    _held.TryRemove(id, out _);
                }
            }
        }

        /// <summary>A call succeeded: charge what was used while the service was away, one caller at a time.</summary>
        public void ServiceIsBack()
        {
            if (!_pending.IsEmpty && Interlocked.Exchange(ref _reconciling, 1) == 0)
            {
                _ = ReconcileAsync();
            }
        }

        private async Task ReconcileAsync()
        {
            try
            {
                while (_pending.TryPeek(out var charge))
                {
                    // A call that named no amount and reported no lower cost is priced by the service, as it would have been.
                    var priced = charge.Request.Credits is null && !charge.Metered;
                    var key = _headRetries == 0 ? "reconcile." + charge.Reservation.Id : $"reconcile.{charge.Reservation.Id}.{_headRetries}";
                    var request = new ReservationRequest(charge.Request.Feature, key)
                    {
                        Credits = priced ? null : charge.Charged,
                        Actor = charge.Request.Actor,
                    };
                    try
                    {
                        var reserved = await owner.ReserveCoreAsync(charge.WorkspaceId, request, CancellationToken.None).ConfigureAwait(false);
                        if (reserved.Reservation?.Status is ReservationStatus.Expired or ReservationStatus.Released)
                        {
                            // This key's reservation was made, then lapsed before its commit got through: it can never
                            // charge, so a new key can without charging twice.
                            _headRetries++;
                            continue;
                        }

                        if (reserved.IsGranted)
                        {
                            await owner.CommitAsync(charge.WorkspaceId, reserved.Reservation.Id).ConfigureAwait(false);
                            RemoteLedgerLog.Reconciled(owner._logger, charge.Charged, charge.WorkspaceId);
                        }
                        else
                        {
                            RemoteLedgerLog.ReconcileRefused(owner._logger, charge.Charged, charge.WorkspaceId, reserved.Denial.Reason.ToString());
                        }
                    }
                    catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.LedgerUnavailable)
                    {
                        return; // still away: the next successful call tries again
                    }
                    catch (Exception ex) when (ex is CreditLedgerException or ArgumentException)
                    {
                        RemoteLedgerLog.ReconcileRefused(owner._logger, charge.Charged, charge.WorkspaceId, ex.Message);
                    }

                    _pending.TryDequeue(out _);
                    _headRetries = 0;
                    Interlocked.Add(ref _left, charge.Charged);
                }
            }
            finally
            {
                Volatile.Write(ref _reconciling, 0);
            }
        }

        private CreditReservationResult Granted(Grant grant) => new() { Reservation = grant.Reservation, Balance = LocalBalance(grant.WorkspaceId) };

        /// <summary>What this process knows while it cannot ask: only its own allowance, stated as such.</summary>
        private CreditBalance LocalBalance(string workspaceId)
        {
            var now = timeProvider.GetUtcNow();
            var left = Interlocked.Read(ref _left);
            return new CreditBalance
            {
                WorkspaceId = workspaceId,
                Plan = "unknown (credits service unreachable)",
                PeriodStart = now,
                PeriodEnd = now,
                Allocation = _allowance,
                Used = _allowance - left,
                Held = 0,
                MonthlyRemaining = left,
                BoostRemaining = 0,
                Available = left,
                Paused = false,
                AutomationEnabled = true,
                TimeZoneId = "UTC",
                AsOf = now,
            };
        }

        private sealed record Grant(string WorkspaceId, ReservationRequest Request, CreditReservation Reservation, long Charged = 0, bool Metered = false);
    }
}
