using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

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

        // How long past its TTL a grant is remembered for retries.
        private static readonly TimeSpan s_retention = TimeSpan.FromMinutes(10);

        // Every grant, held or completed, until a while after its TTL: a retry of its reserve, commit or release gets
        // the ledger's answer, not a second grant or "not found".
        private readonly ConcurrentDictionary<string, Grant> _grants = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<Grant> _pending = new();
        private readonly long _allowance = allowance;
        private long _left = allowance;
        private int _reconciling;

        // The first instant (UTC ticks) at which a grant lapses or is to be forgotten: until then a decision skips the sweep.
        private long _sweepAt = long.MaxValue;

        // How many of the head charge's derived keys ended without a charge (their reservation expired while the
        // service was away again): the next one is used. Only the one reconciler at a time reads or writes it.
        private int _headRetries;

        public long Outstanding => _allowance - Interlocked.Read(ref _left);

        public static bool IsLocal(string reservationId) => reservationId.StartsWith(Prefix, StringComparison.Ordinal);

        /// <summary>
        /// Answers a reserve whose key this process granted locally, even with the service back: the service never
        /// saw that key, and a second reservation for it would charge the action twice.
        /// </summary>
        public bool TryReserveKnown(string workspaceId, ReservationRequest request, [NotNullWhen(true)] out CreditReservationResult? result)
        {
            result = null;
            if (_grants.IsEmpty || !_grants.TryGetValue(IdOf(workspaceId, request.IdempotencyKey), out var grant))
            {
                return false;
            }

            ExpireLapsed();
            result = Known(grant, request);
            return true;
        }

        public CreditReservationResult Reserve(string workspaceId, ReservationRequest request, CreditLedgerException unavailable)
        {
            ExpireLapsed();
            var credits = request.Credits ?? s_defaultCosts.GetValueOrDefault(request.Feature, 1);
            var id = IdOf(workspaceId, request.IdempotencyKey);
            if (_grants.TryGetValue(id, out var existing))
            {
                return Known(existing, request);
            }

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
            if (!_grants.TryAdd(id, grant))
            {
                // A concurrent reserve of the same key won: this one is its retry.
                Interlocked.Add(ref _left, credits);
                return Known(_grants[id], request);
            }

            SweepBy(grant.Reservation.ExpiresAt.UtcTicks);

            RemoteLedgerLog.GrantedLocally(owner._logger, credits, request.Feature, Interlocked.Read(ref _left));
            return Granted(grant);
        }

        public CommitResult Commit(string workspaceId, string reservationId, long? actualCredits)
        {
            ExpireLapsed();
            var grant = Find(workspaceId, reservationId);
            var reservation = grant.Reservation;
            if (Expire(grant, timeProvider.GetUtcNow()))
            {
                throw Rules.LedgerRefusals.Expired(reservationId, reservation.ExpiresAt);
            }

            switch (reservation.Status)
            {
                case ReservationStatus.Committed when actualCredits is null || actualCredits == reservation.CommittedCredits:
                    // A retry: the same answer, nothing charged again.
                    return new CommitResult(reservation, grant.Charged, reservation.Credits - grant.Charged, LocalBalance(workspaceId));
                case ReservationStatus.Committed:
                    throw Rules.LedgerRefusals.CommittedWithOtherAmount(reservationId, reservation.CommittedCredits);
                case ReservationStatus.Released:
                    throw Rules.LedgerRefusals.Released(reservationId);
            }

            if (actualCredits > reservation.Credits)
            {
                // As the service refuses it: nothing is charged and the hold stays.
                throw Rules.LedgerRefusals.OverCharge(reservationId, reservation.Credits, actualCredits.Value);
            }

            var charged = actualCredits ?? reservation.Credits;
            var committed = grant with
            {
                Charged = charged,
                Metered = charged < reservation.Credits,
                Reservation = reservation with { Status = ReservationStatus.Committed, CommittedCredits = charged },
            };
            if (!_grants.TryUpdate(reservationId, committed, grant))
            {
                // Completed or expired meanwhile by a concurrent call: decide again on what it left.
                return Commit(workspaceId, reservationId, actualCredits);
            }

            Interlocked.Add(ref _left, reservation.Credits - charged);
            if (charged > 0)
            {
                _pending.Enqueue(committed);
            }

            return new CommitResult(committed.Reservation, charged, reservation.Credits - charged, LocalBalance(workspaceId));
        }

        public ReleaseResult Release(string workspaceId, string reservationId)
        {
            ExpireLapsed();
            var grant = Find(workspaceId, reservationId);
            var reservation = grant.Reservation;
            if (Expire(grant, timeProvider.GetUtcNow()))
            {
                // Its credits already went back when it expired; releasing after a failure is still fine.
                return new ReleaseResult(reservation with { Status = ReservationStatus.Expired }, 0, LocalBalance(workspaceId));
            }

            switch (reservation.Status)
            {
                case ReservationStatus.Released:
                    return new ReleaseResult(reservation, reservation.Credits, LocalBalance(workspaceId));
                case ReservationStatus.Committed:
                    throw Rules.LedgerRefusals.CannotRelease(reservationId, reservation.CommittedCredits);
            }

            var released = grant with { Reservation = reservation with { Status = ReservationStatus.Released } };
            if (!_grants.TryUpdate(reservationId, released, grant))
            {
                return Release(workspaceId, reservationId);
            }

            Interlocked.Add(ref _left, reservation.Credits);
            return new ReleaseResult(released.Reservation, reservation.Credits, LocalBalance(workspaceId));
        }

        // The workspace is part of the id: two workspaces may use one key, as they may on the service.
        private static string IdOf(string workspaceId, string idempotencyKey)
            => Prefix + Ledger.Storage.ReservationIds.FromKey(string.Concat(workspaceId, "\n", idempotencyKey));

        /// <summary>A reserve of a key granted before: its reservation as it stands, or the refusal of a key reused for another call.</summary>
        private CreditReservationResult Known(Grant grant, ReservationRequest request)
        {
            Expire(grant, timeProvider.GetUtcNow());
            var reservation = _grants.GetValueOrDefault(grant.Reservation.Id, grant).Reservation;
            if (reservation.Feature != request.Feature || (request.Credits is not null && reservation.Credits != request.Credits))
            {
                throw Rules.LedgerRefusals.KeyReused(request.IdempotencyKey, reservation.Credits, reservation.Feature);
            }

            return new() { Reservation = reservation, Balance = LocalBalance(grant.WorkspaceId) };
        }

        private Grant Find(string workspaceId, string reservationId)
            => _grants.TryGetValue(reservationId, out var grant) && string.Equals(grant.WorkspaceId, workspaceId, StringComparison.Ordinal)
                ? grant
                : throw new CreditLedgerException(CreditLedgerError.ReservationNotFound, $"No locally granted reservation '{reservationId}' is known.");

        /// <summary>
        /// Whether the grant is expired: past its TTL while held; the first caller to find it so gives its allowance
        /// back (it stays known, as expired, for a retry of its reserve, commit or release).
        /// </summary>
        private bool Expire(Grant grant, DateTimeOffset now)
        {
            switch (grant.Reservation.Status)
            {
                case ReservationStatus.Expired:
                    return true;
                case not ReservationStatus.Held:
                    return false;
            }

            if (grant.Reservation.ExpiresAt > now)
            {
                return false;
            }

            var expired = grant with { Reservation = grant.Reservation with { Status = ReservationStatus.Expired } };
            if (_grants.TryUpdate(grant.Reservation.Id, expired, grant))
            {
                Interlocked.Add(ref _left, grant.Reservation.Credits);
                return true;
            }

            // Someone else completed or expired it meanwhile.
            return _grants.TryGetValue(grant.Reservation.Id, out var current) && current.Reservation.Status == ReservationStatus.Expired;
        }

        /// <summary>
        /// Gives back the allowance of local grants past their TTL before a decision, as the service releases its own
        /// expired holds, and forgets grants past their retention.
        /// </summary>
        private void ExpireLapsed()
        {
            var now = timeProvider.GetUtcNow();
            if (now.UtcTicks < Volatile.Read(ref _sweepAt) || Interlocked.Exchange(ref _sweepAt, long.MaxValue) == long.MaxValue)
            {
                return;
            }

            // Grants added during the sweep lower _sweepAt themselves; the sweep then lowers it to what it found.
            var next = long.MaxValue;
            foreach (var (id, grant) in _grants)
            {
                var forgetAt = grant.Reservation.ExpiresAt + s_retention;
                if (forgetAt <= now)
                {
                    Expire(grant, now);
                    _grants.TryRemove(id, out _);
                    continue;
                }

                next = Math.Min(next, Expire(grant, now) || grant.Reservation.Status != ReservationStatus.Held ? forgetAt.UtcTicks : grant.Reservation.ExpiresAt.UtcTicks);
            }

            SweepBy(next);
        }

        private void SweepBy(long ticks)
        {
            var current = Volatile.Read(ref _sweepAt);
            while (ticks < current)
            {
                var seen = Interlocked.CompareExchange(ref _sweepAt, ticks, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
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
                            try
                            {
                                await owner.CommitAsync(charge.WorkspaceId, reserved.Reservation.Id).ConfigureAwait(false);
                            }
                            catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.ReservationExpired)
                            {
                                // It lapsed between its reserve and its commit: as above, the next key can charge.
                                _headRetries++;
                                continue;
                            }

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
