using Versana.Sdk.Ledger;
using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk;

/// <content>
/// Credit leases (lease mode): a process holds a block of credits and serves reservations from it without a
/// decision per reservation here. Charges are written durably by the process and settled into commits by
/// <see cref="RefillLeaseAsync"/>, <see cref="ReturnLeaseAsync"/> or the lease's expiry, exactly once each.
/// </content>
public sealed partial class CreditLedger
{
    /// <summary>
    /// Settles the lease's charges, then renews it and tops it up with up to <paramref name="topUp"/> credits
    /// (fewer when the pool has fewer; none when its period has ended). With <paramref name="create"/>, a lease
    /// that does not exist is taken; without it, a missing lease is reported closed (it expired: its process stalled).
    /// </summary>
    internal ValueTask<LeaseGrant> RefillLeaseAsync(string workspaceId, string leaseId, bool create, long topUp, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ValidateWorkspaceId(workspaceId);
        ValidateKey(leaseId, nameof(leaseId));
        ArgumentOutOfRangeException.ThrowIfNegative(topUp);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return _store.ExecuteAsync(
            workspaceId,
            (Ledger: this, LeaseId: leaseId, Create: create, TopUp: topUp, Ttl: ttl),
            static (session, s) => s.Ledger.RefillLease(session, s.LeaseId, s.Create, s.TopUp, s.Ttl),
            cancellationToken);
    }

    /// <summary>Settles the lease's charges and gives its unused credits back to the pool.</summary>
    internal ValueTask<LeaseGrant> ReturnLeaseAsync(string workspaceId, string leaseId, CancellationToken cancellationToken)
    {
        ValidateWorkspaceId(workspaceId);
        ValidateKey(leaseId, nameof(leaseId));
        return _store.ExecuteAsync(
            workspaceId,
            (Ledger: this, LeaseId: leaseId),
            static (session, s) =>
            {
                var ledger = s.Ledger;
                var account = RequireAccount(session);
                var now = ledger._timeProvider.GetUtcNow();
                ledger.Touch(session, account, now);
                long settled = 0;
                if (account.Leases.TryGetValue(s.LeaseId, out var lease))
                {
                    settled = ledger.CloseLease(session, account, lease, LedgerEntryKind.LeaseReturned, now);
                }

                return ledger.Grant(account, s.LeaseId, null, settled, now);
            },
            cancellationToken);
    }

    /// <summary>
    /// Settles the lease's charges and gives back all but <paramref name="keep"/> of its credits (the ones its
    /// process's open reservations hold), keeping the lease open for those.
    /// </summary>
    internal ValueTask<LeaseGrant> ReduceLeaseAsync(string workspaceId, string leaseId, long keep, CancellationToken cancellationToken)
    {
        ValidateWorkspaceId(workspaceId);
        ValidateKey(leaseId, nameof(leaseId));
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        return _store.ExecuteAsync(
            workspaceId,
            (Ledger: this, LeaseId: leaseId, Keep: keep),
            static (session, s) => s.Ledger.ReduceLease(session, s.LeaseId, s.Keep),
            cancellationToken);
    }

    private LeaseGrant ReduceLease(ILedgerSession session, string leaseId, long keep)
    {
        var account = RequireAccount(session);
        var now = _timeProvider.GetUtcNow();
        Touch(session, account, now);
        if (!account.Leases.TryGetValue(leaseId, out var lease))
        {
            return Grant(account, leaseId, null, 0, now);
        }

        var settled = SettleLease(session, account, lease);
        var giveBack = lease.Held - keep;
        if (giveBack > 0)
        {
            // The held credits are spent in the order of the lease's parts (monthly first), so the kept ones are
            // the first: what goes back is the end of that order.
            session.Append(new LedgerEntryValue(account.Id, NextSequence(account), now, LedgerEntryKind.LeaseReduced)
            {
                LeaseId = leaseId,
                Credits = giveBack,
                Parts = TakeFromEnd(lease.Parts, giveBack),
                PeriodStart = lease.PeriodStart,
            });
        }

        RaiseThresholds(session, account, now);
        return Grant(account, leaseId, lease, settled, now);
    }

    private static CreditPart[] TakeFromEnd(List<CreditPart> parts, long credits)
    {
        var taken = new List<CreditPart>(parts.Count);
        for (var i = parts.Count - 1; i >= 0 && credits > 0; i--)
        {
            var take = Math.Min(credits, parts[i].Credits);
            taken.Add(parts[i] with { Credits = take });
            credits -= take;
        }

        return [.. taken];
    }

    private LeaseGrant RefillLease(ILedgerSession session, string leaseId, bool create, long topUp, TimeSpan ttl)
    {
        var account = RequireAccount(session);
        var now = _timeProvider.GetUtcNow();
        Touch(session, account, now);

        long settled = 0;
        var exists = account.Leases.TryGetValue(leaseId, out var lease);
        if (exists)
        {
            settled = SettleLease(session, account, lease!);
        }
        else if (!create)
        {
            return Grant(account, leaseId, null, 0, now);
        }

        // A lease tops up only within its own period; one from a past period is only renewed until it is returned.
        // It never holds credits of a pack that expires: the process would not know when they lapse, and could
        // spend them after (they stay here, for the reservations this ledger decides).
        var leasable = LeasableBoostBuckets(account);
        var credits = PlanIncludesAi(account.Plan) && (!exists || lease!.PeriodStart == account.PeriodStart)
            ? Math.Min(topUp, Math.Max(account.MonthlyFree + leasable.Sum(b => b.Free), 0))
            : 0;
        if (!exists && credits == 0)
        {
            RaiseThresholds(session, account, now);
            return Grant(account, leaseId, null, settled, now);
        }

        var parts = credits == 0 ? [] : LedgerRules.SplitHold(credits, account.MonthlyFree, credits <= account.MonthlyFree ? s_noBoosts : leasable);
        session.Append(new LedgerEntryValue(account.Id, NextSequence(account), now, LedgerEntryKind.LeaseTaken)
        {
            LeaseId = leaseId,
            Credits = credits,
            Parts = parts,
            PeriodStart = exists ? lease!.PeriodStart : account.PeriodStart,
            ExpiresAt = now + ttl,
        });
        RaiseThresholds(session, account, now);
        return Grant(account, leaseId, account.Leases[leaseId], settled, now);
    }

    /// <summary>Turns the lease's durable charges into commits, in the order they were made; returns the credits charged.</summary>
    private static long SettleLease(ILedgerSession session, WorkspaceAccount account, CreditLease lease, bool closing = false)
    {
        long total = 0;
        foreach (var charge in session.SettleLeaseCharges(lease.Id, closing).OrderBy(c => c.CommittedAt).ThenBy(c => c.ReservationId, StringComparer.Ordinal))
        {
            if (account.Open.TryGetValue(charge.ReservationId, out var heldHere))
            {
                // The key is held here too: retried in a leased process that never saw it, and committed there
                // first. That commit is the key's; the hold here goes back, so the key is not charged twice.
                session.Append(Uncharged(account, heldHere, charge.CommittedAt, LedgerEntryKind.Released));
            }

            // The process never charges more than its lease holds; clamping keeps the pool exact even if it did.
            var credits = Math.Min(charge.Credits, lease.Held);
            session.Append(new LedgerEntryValue(account.Id, NextSequence(account), charge.CommittedAt, LedgerEntryKind.Committed)
            {
                LeaseId = lease.Id,
                ReservationId = charge.ReservationId,
                IdempotencyKey = charge.IdempotencyKey,
                Feature = charge.Feature,
                Credits = credits,
                Parts = LedgerRules.SplitCharge([.. lease.Parts], credits),
                PeriodStart = lease.PeriodStart,
                ExpiresAt = charge.ExpiresAt,
                Actor = charge.Actor,
                Tokens = charge.Tokens,
            });
            total += credits;
        }

        return total;
    }

    /// <summary>Settles the lease's last charges and gives its unused credits back (returned, or expired).</summary>
    private long CloseLease(ILedgerSession session, WorkspaceAccount account, CreditLease lease, LedgerEntryKind kind, DateTimeOffset now)
    {
        var settled = SettleLease(session, account, lease, closing: true);
        session.Append(new LedgerEntryValue(account.Id, NextSequence(account), now, kind)
        {
            LeaseId = lease.Id,
            Credits = lease.Held,
            Parts = [.. lease.Parts],
            PeriodStart = lease.PeriodStart,
        });
        RaiseThresholds(session, account, now);
        return settled;
    }

    /// <summary>Expires the leases past their TTL (their processes died or stalled): charges settled, the rest given back.</summary>
    private void ExpireLeases(ILedgerSession session, WorkspaceAccount account, DateTimeOffset now)
    {
        List<CreditLease>? due = null;
        foreach (var lease in account.Leases.Values)
        {
            if (lease.ExpiresAt <= now)
            {
                (due ??= []).Add(lease);
            }
        }

        // In one order whatever the dictionary's history (see ExpireReservations).
        due?.Sort(static (a, b) => a.ExpiresAt != b.ExpiresAt ? a.ExpiresAt.CompareTo(b.ExpiresAt) : string.CompareOrdinal(a.Id, b.Id));
        foreach (var lease in due ?? [])
        {
            CloseLease(session, account, lease, LedgerEntryKind.LeaseExpired, now);
        }
    }

    private static List<LedgerRules.BoostBucket> LeasableBoostBuckets(WorkspaceAccount account)
    {
        var buckets = BoostBuckets(account);
        return buckets.TrueForAll(static b => b.ExpiresAt is null) ? buckets : buckets.FindAll(static b => b.ExpiresAt is null);
    }

    private LeaseGrant Grant(WorkspaceAccount account, string leaseId, CreditLease? lease, long settled, DateTimeOffset now)
    {
        var costs = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (feature, cost) in _costs)
        {
            costs[feature.Name] = cost;
        }

        foreach (var (name, cost) in account.CostOverrides ?? [])
        {
            costs[name] = cost;
        }

        return new LeaseGrant(
            leaseId,
            lease is not null,
            lease?.Held ?? 0,
            settled,
            lease?.ExpiresAt ?? now,
            lease?.PeriodStart ?? account.PeriodStart,
            lease is null || lease.PeriodStart == account.PeriodStart ? account.PeriodEnd : account.PeriodStart,
            new LeasePolicy(PlanIncludesAi(account.Plan), account.AutomationEnabled, costs, CheapestEnabledCost(account)),
            Snapshot(account, now));
    }
}
