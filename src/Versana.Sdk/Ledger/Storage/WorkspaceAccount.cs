namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// The state of one workspace's pool. It changes only through <see cref="Apply(in LedgerEntryValue)"/>, so the stored state and
/// a replay of the audit entries go through the same code and must agree.
/// </summary>
internal sealed class WorkspaceAccount
{
    public string Id { get; private set; } = string.Empty;

    public string Plan { get; private set; } = string.Empty;

    public string? PendingPlan { get; private set; }

    public string TimeZoneId { get; private set; } = "UTC";

    public TimeZoneInfo TimeZone { get; private set; } = TimeZoneInfo.Utc;

    public bool AutomationEnabled { get; private set; }

    public Dictionary<string, long>? CostOverrides { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset PeriodStart { get; private set; }

    public DateTimeOffset PeriodEnd { get; private set; }

    public long Allocation { get; private set; }

    public long Used { get; private set; }

    /// <summary>Gets the credits of the current period's allocation held by open reservations.</summary>
    public long HeldMonthly { get; private set; }

    public List<BoostGrant> Boosts { get; } = [];

    public List<int> ThresholdsCrossed { get; } = [];

    public Dictionary<string, Reservation> Open { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the open credit leases (lease mode), by id.</summary>
    public Dictionary<string, CreditLease> Leases { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets a lower bound of the open reservations' expiry, so most requests skip the expiry scan.</summary>
    public DateTimeOffset EarliestExpiry { get; private set; } = DateTimeOffset.MaxValue;

    public long LastSequence { get; private set; }

    /// <summary>Gets the reservation the last <see cref="LedgerEntryKind.Reserved"/> entry created, for stores that index it.</summary>
    public Reservation? ReservedLast { get; private set; }

    /// <summary>Gets the reservation the last commit, release or expiry closed, for stores that index it.</summary>
    public Reservation? CompletedLast { get; private set; }

    /// <summary>
    /// Gets or sets the balance terms the ledger last built for this account: a memo, not state (the ledger checks
    /// that they still describe the account before it reuses them).
    /// </summary>
    public BalanceTerms? BalanceTerms { get; set; }

    public long HeldBoost
    {
        get
        {
            long held = 0;
            foreach (var boost in Boosts)
            {
                held += boost.Held;
            }

            return held;
        }
    }

    /// <summary>
    /// Gets the boost credits not yet charged: all of a live pack's, and the held ones of an expired pack, which stay
    /// with their reservations (so available = monthly remaining + boost remaining − held, whatever expired).
    /// </summary>
    public long BoostRemaining
    {
        get
        {
            long remaining = 0;
            foreach (var boost in Boosts)
            {
                remaining += boost.Expired ? boost.Held : boost.Remaining;
            }

            return remaining;
        }
    }

    public long MonthlyFree => Allocation - Used - HeldMonthly;

    public long Available
    {
        get
        {
            var available = MonthlyFree;
            foreach (var boost in Boosts)
            {
                available += boost.Free;
            }

            return available;
        }
    }

    /// <summary>Restores the stored counters of an account (stores that persist state rather than replaying it).</summary>
    public static WorkspaceAccount Restore(AccountSnapshot snapshot)
    {
        var account = new WorkspaceAccount
        {
            Id = snapshot.Id,
            Plan = snapshot.Plan,
            PendingPlan = snapshot.PendingPlan,
            TimeZoneId = snapshot.TimeZoneId,
            TimeZone = BillingCalendar.FindTimeZone(snapshot.TimeZoneId),
            AutomationEnabled = snapshot.AutomationEnabled,
            CostOverrides = snapshot.CostOverrides is null ? null : new Dictionary<string, long>(snapshot.CostOverrides, StringComparer.OrdinalIgnoreCase),
            CreatedAt = snapshot.CreatedAt,
            PeriodStart = snapshot.PeriodStart,
            PeriodEnd = snapshot.PeriodEnd,
            Allocation = snapshot.Allocation,
            Used = snapshot.Used,
            HeldMonthly = snapshot.HeldMonthly,
            LastSequence = snapshot.LastSequence,
        };
        account.ThresholdsCrossed.AddRange(snapshot.ThresholdsCrossed);
        foreach (var boost in snapshot.Boosts)
        {
            account.Boosts.Add(new BoostGrant
            {
                Id = boost.Id,
                IdempotencyKey = boost.IdempotencyKey,
                Credits = boost.Credits,
                Remaining = boost.Remaining,
                Held = boost.Held,
                PurchasedAt = boost.PurchasedAt,
                ExpiresAt = boost.ExpiresAt,
                Expired = boost.Expired,
            });
        }

        foreach (var lease in snapshot.Leases ?? [])
        {
            account.Leases.Add(lease.Id, CreditLease.FromSnapshot(lease));
        }

        foreach (var reservation in snapshot.Open.Select(Reservation.FromSnapshot))
        {
            account.Open.Add(reservation.Id, reservation);
            if (reservation.ExpiresAt < account.EarliestExpiry)
            {
                account.EarliestExpiry = reservation.ExpiresAt;
            }
        }

        return account;
    }

    public AccountSnapshot ToSnapshot() => new(
        Id,
        Plan,
        PendingPlan,
        TimeZoneId,
        AutomationEnabled,
        CostOverrides,
        CreatedAt,
        PeriodStart,
        PeriodEnd,
        Allocation,
        Used,
        HeldMonthly,
        [.. ThresholdsCrossed],
        [.. Boosts.Select(b => new BoostSnapshot(b.Id, b.IdempotencyKey, b.Credits, b.Remaining, b.Held, b.PurchasedAt, b.ExpiresAt, b.Expired))],
        [.. Open.Values.Select(r => r.ToSnapshot())],
        LastSequence,
        Leases.Count == 0 ? null : [.. Leases.Values.Select(l => l.ToSnapshot())]);

    /// <summary>Applies one entry read back (replay).</summary>
    public void Apply(LedgerEntry entry) => Apply(LedgerEntryValue.From(entry));

    /// <summary>Applies one entry. Entries are validated before they are made; applying one never fails.</summary>
    public void Apply(in LedgerEntryValue entry)
    {
        switch (entry.Kind)
        {
            case LedgerEntryKind.WorkspaceCreated:
                Id = entry.WorkspaceId;
                Plan = entry.Plan!;
                TimeZoneId = entry.TimeZoneId!;
                TimeZone = BillingCalendar.FindTimeZone(TimeZoneId);
                AutomationEnabled = entry.AutomationEnabled ?? false;
                CostOverrides = ToCosts(entry.Costs);
                CreatedAt = entry.At;
                break;

            case LedgerEntryKind.PeriodStarted:
                PeriodStart = entry.PeriodStart!.Value;
                PeriodEnd = entry.PeriodEnd!.Value;
                Plan = entry.Plan!;
                PendingPlan = null;
                Allocation = entry.Credits;
                Used = 0;
                HeldMonthly = 0;
                ThresholdsCrossed.Clear();
                break;

            case LedgerEntryKind.Reserved:
                ApplyReserved(entry);
                break;

            case LedgerEntryKind.Committed when entry.LeaseId is not null:
                ApplyLeaseCharge(entry);
                break;

            case LedgerEntryKind.Committed:
                ApplyCompleted(entry, ReservationStatus.Committed);
                break;

            case LedgerEntryKind.LeaseTaken:
                ApplyLeaseTaken(entry);
                break;

            case LedgerEntryKind.LeaseReturned or LedgerEntryKind.LeaseExpired:
                ApplyLeaseClosed(entry);
                break;

            case LedgerEntryKind.LeaseReduced:
                ApplyLeaseReduced(entry);
                break;

            case LedgerEntryKind.Released:
                ApplyCompleted(entry, ReservationStatus.Released);
                break;

            case LedgerEntryKind.ReservationExpired:
                ApplyCompleted(entry, ReservationStatus.Expired);
                break;

            case LedgerEntryKind.BoostPurchased:
                Boosts.Add(new BoostGrant
                {
                    Id = entry.BoostId!,
                    IdempotencyKey = entry.IdempotencyKey!,
                    Credits = entry.Credits,
                    Remaining = entry.Credits,
                    PurchasedAt = entry.At,
                    ExpiresAt = entry.ExpiresAt,
                });
                break;

            case LedgerEntryKind.BoostExpired:
                var grant = FindBoost(entry.BoostId!);
                grant.Expired = true;

                // Held credits stay with their reservations; only the free part lapses.
                grant.Remaining -= entry.Credits;
                break;

            case LedgerEntryKind.PlanChanged:
                Plan = entry.Plan!;
                PendingPlan = null;
                Allocation = entry.Credits;
                break;

            case LedgerEntryKind.PlanChangeScheduled:
                PendingPlan = entry.Plan;
                break;

            case LedgerEntryKind.SettingsChanged:
                if (entry.AutomationEnabled is { } automation)
                {
                    AutomationEnabled = automation;
                }

                if (entry.Costs is not null)
                {
                    CostOverrides = ToCosts(entry.Costs);
                }

                break;

            case LedgerEntryKind.ThresholdCrossed:
                ThresholdsCrossed.Add(entry.Percent!.Value);
                break;

            default:
                throw new InvalidOperationException($"Unknown ledger entry kind {entry.Kind}.");
        }

        LastSequence = entry.Sequence;
    }

    public BoostGrant FindBoost(string id)
    {
        foreach (var boost in Boosts)
        {
            if (string.Equals(boost.Id, id, StringComparison.Ordinal))
            {
                return boost;
            }
        }

        throw new InvalidOperationException($"Boost pack '{id}' is not in workspace '{Id}'.");
    }

    /// <summary>Recomputes the expiry lower bound after a scan found nothing else due.</summary>
    public void ResetEarliestExpiry()
    {
        var earliest = DateTimeOffset.MaxValue;
        foreach (var reservation in Open.Values)
        {
            if (reservation.ExpiresAt < earliest)
            {
                earliest = reservation.ExpiresAt;
            }
        }

        EarliestExpiry = earliest;
    }

    private static Dictionary<string, long>? ToCosts(IReadOnlyDictionary<string, long>? costs)
        => costs is null || costs.Count == 0 ? null : new Dictionary<string, long>(costs, StringComparer.OrdinalIgnoreCase);

    private void ApplyReserved(in LedgerEntryValue entry)
    {
        // Entries are immutable, so the reservation can share the entry's parts array.
        var parts = entry.Parts switch
        {
            null => [],
            CreditPart[] array => array,
            var list => list.ToArray(),
        };
        var reservation = new Reservation
        {
            Id = entry.ReservationId!,
            IdempotencyKey = entry.IdempotencyKey!,
            Feature = entry.Feature!.Value,
            Credits = entry.Credits,
            Parts = parts,
            PeriodStart = entry.PeriodStart!.Value,
            CreatedAt = entry.At,
            ExpiresAt = entry.ExpiresAt!.Value,
            Actor = entry.Actor,
        };

        foreach (var part in parts)
        {
            if (part.Bucket == CreditPart.MonthlyBucket)
            {
                HeldMonthly += part.Credits;
            }
            else
            {
                FindBoost(part.Bucket).Held += part.Credits;
            }
        }

        Open.Add(reservation.Id, reservation);
        if (reservation.ExpiresAt < EarliestExpiry)
        {
            EarliestExpiry = reservation.ExpiresAt;
        }

        ReservedLast = reservation;
    }

    private void ApplyLeaseTaken(in LedgerEntryValue entry)
    {
        if (!Leases.TryGetValue(entry.LeaseId!, out var lease))
        {
            lease = new CreditLease { Id = entry.LeaseId!, PeriodStart = entry.PeriodStart!.Value, CreatedAt = entry.At };
            Leases.Add(lease.Id, lease);
        }

        // A top-up adds credits and moves the expiry; a renewal (no credits) only moves the expiry.
        lease.ExpiresAt = entry.ExpiresAt!.Value;
        var parts = entry.Parts ?? [];
        lease.Add(parts);
        HoldOrFree(parts, +1, samePeriod: true);
    }

    private void ApplyLeaseCharge(in LedgerEntryValue entry)
    {
        var (parts, samePeriod) = TakeOutOfLease(entry);
        foreach (var part in parts)
        {
            if (part.Bucket == CreditPart.MonthlyBucket)
            {
                if (samePeriod)
                {
                    Used += part.Credits;
                }
            }
            else
            {
                FindBoost(part.Bucket).Remaining -= part.Credits;
            }
        }
    }

    private void ApplyLeaseReduced(in LedgerEntryValue entry) => TakeOutOfLease(entry);

    /// <summary>Takes the entry's parts out of its lease and out of what is held (charged, or given back).</summary>
    private (IReadOnlyList<CreditPart> Parts, bool SamePeriod) TakeOutOfLease(in LedgerEntryValue entry)
    {
        var lease = Leases[entry.LeaseId!];
        var parts = entry.Parts ?? [];
        lease.Remove(parts);
        var samePeriod = lease.PeriodStart == PeriodStart;
        HoldOrFree(parts, -1, samePeriod);
        return (parts, samePeriod);
    }

    private void ApplyLeaseClosed(in LedgerEntryValue entry)
    {
        var lease = Leases[entry.LeaseId!];
        Leases.Remove(lease.Id);
        HoldOrFree(lease.Parts, -1, lease.PeriodStart == PeriodStart);
    }

    /// <summary>Adds (<paramref name="sign"/> 1) or removes (-1) held credits; monthly ones only within their own period.</summary>
    private void HoldOrFree(IEnumerable<CreditPart> parts, int sign, bool samePeriod)
    {
        foreach (var part in parts)
        {
            if (part.Bucket == CreditPart.MonthlyBucket)
            {
                if (samePeriod)
                {
                    HeldMonthly += sign * part.Credits;
                }
            }
            else
            {
                FindBoost(part.Bucket).Held += sign * part.Credits;
            }
        }
    }

    private void ApplyCompleted(in LedgerEntryValue entry, ReservationStatus status)
    {
        if (!Open.Remove(entry.ReservationId!, out var reservation))
        {
            throw new InvalidOperationException($"Entry {entry.Sequence} completes reservation '{entry.ReservationId}', which is not open.");
        }

        CompletedLast = reservation;

        // Credits held from an earlier period's allocation stay with that period: the current
        // period's counters were reset at the refresh and never saw them.
        var samePeriod = reservation.PeriodStart == PeriodStart;
        foreach (var part in reservation.Parts)
        {
            if (part.Bucket == CreditPart.MonthlyBucket)
            {
                if (samePeriod)
                {
                    HeldMonthly -= part.Credits;
                }
            }
            else
            {
                FindBoost(part.Bucket).Held -= part.Credits;
            }
        }

        if (status == ReservationStatus.Committed && entry.Parts is { } charged)
        {
            // Indexed: a foreach over the interface would allocate an enumerator on every commit.
            for (var i = 0; i < charged.Count; i++)
            {
                var part = charged[i];
                if (part.Bucket == CreditPart.MonthlyBucket)
                {
                    if (samePeriod)
                    {
                        Used += part.Credits;
                    }
                }
                else
                {
                    FindBoost(part.Bucket).Remaining -= part.Credits;
                }
            }

            reservation.CommittedCredits = entry.Credits;
        }

        reservation.Status = status;
        reservation.CompletedAt = entry.At;
    }
}
