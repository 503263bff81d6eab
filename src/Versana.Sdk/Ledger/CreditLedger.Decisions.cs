using Versana.Sdk.Ledger;
using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk;

/// <content>The decisions, made inside a store's critical section for one workspace.</content>
public sealed partial class CreditLedger
{
    private static WorkspaceAccount RequireAccount(ILedgerSession session)
        => session.Account ?? throw new CreditLedgerException(
            CreditLedgerError.WorkspaceNotFound,
            "No workspace has this id. Create it first, or check the id.");

    private static readonly List<LedgerRules.BoostBucket> s_noBoosts = [];

    private static long NextSequence(WorkspaceAccount? account) => (account?.LastSequence ?? 0) + 1;

    private static LedgerEntryValue Entry(WorkspaceAccount? account, string workspaceId, DateTimeOffset now, LedgerEntryKind kind)
        => new(workspaceId, NextSequence(account), now, kind);

    /// <summary>The entry that ends a held reservation without a charge (released, or expired): its hold goes back.</summary>
    private static LedgerEntryValue Uncharged(WorkspaceAccount account, Reservation reservation, DateTimeOffset at, LedgerEntryKind kind)
        => new(account.Id, NextSequence(account), at, kind)
        {
            ReservationId = reservation.Id,
            Feature = reservation.Feature,
            Credits = reservation.Credits,
            Parts = reservation.Parts,
        };

    private static string NewId(string prefix, DateTimeOffset now) => $"{prefix}_{Guid.CreateVersion7(now):N}";

    private CreditBalance Create(ILedgerSession session, WorkspaceSettings settings, CreditPlan plan, string timeZoneId, TimeZoneInfo timeZone, IReadOnlyDictionary<string, long>? costs)
    {
        var now = _timeProvider.GetUtcNow();
        if (session.Account is { } existing)
        {
            var same = string.Equals(existing.Plan, plan.Name, StringComparison.Ordinal)
                && string.Equals(existing.TimeZoneId, timeZoneId, StringComparison.Ordinal)
                && existing.AutomationEnabled == settings.AutomationEnabled
                && CostsEqual(existing.CostOverrides, costs);
            if (!same)
            {
                throw new CreditLedgerException(
                    CreditLedgerError.WorkspaceAlreadyExists,
                    $"Workspace '{settings.WorkspaceId}' already exists with other settings. Change its plan or settings instead of creating it again.");
            }

            Touch(session, existing, now);
            return Snapshot(existing, now);
        }

        session.Append(new LedgerEntryValue(settings.WorkspaceId, NextSequence(null), now, LedgerEntryKind.WorkspaceCreated)
        {
            Plan = plan.Name,
            TimeZoneId = timeZoneId,
            AutomationEnabled = settings.AutomationEnabled,
            Costs = costs,
        });
        var account = session.Account!;
        StartPeriod(session, account, now, plan);
        return Snapshot(account, now);
    }

    private static void StartPeriod(ILedgerSession session, WorkspaceAccount account, DateTimeOffset now, CreditPlan plan)
    {
        var period = BillingCalendar.GetPeriod(now, account.TimeZone);
        session.Append(new LedgerEntryValue(account.Id, NextSequence(account), now, LedgerEntryKind.PeriodStarted)
        {
            Plan = plan.Name,
            Credits = plan.MonthlyCredits,
            PeriodStart = period.Start,
            PeriodEnd = period.End,
        });
    }

    /// <summary>
    /// Releases the reservations whose TTL has passed, earliest first; those due at the same instant by id, so every
    /// store writes them in one order (a dictionary's order depends on its history, which a store that reloads it lacks).
    /// </summary>
    /// <remarks>
    /// A method of its own: its lambda captures <paramref name="now"/>, and C# allocates a capture's closure on
    /// entry to the method that declares it, so in <see cref="Touch"/> every decision paid for it.
    /// </remarks>
    private static void ExpireReservations(ILedgerSession session, WorkspaceAccount account, DateTimeOffset now)
    {
        var due = account.Open.Values.Where(r => r.ExpiresAt <= now).OrderBy(r => r.ExpiresAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        foreach (var reservation in due)
        {
            session.Append(Uncharged(account, reservation, now, LedgerEntryKind.ReservationExpired));
        }

        account.ResetEarliestExpiry();
    }

    /// <summary>Applies what the clock alone decides: expired reservations and boost packs, and the monthly refresh.</summary>
    private void Touch(ILedgerSession session, WorkspaceAccount account, DateTimeOffset now)
    {
        if (account.EarliestExpiry <= now)
        {
            ExpireReservations(session, account, now);
        }

        if (account.Leases.Count > 0)
        {
            ExpireLeases(session, account, now);
        }

        foreach (var boost in account.Boosts)
        {
            if (!boost.Expired && boost.ExpiresAt <= now)
            {
                session.Append(new LedgerEntryValue(account.Id, NextSequence(account), now, LedgerEntryKind.BoostExpired)
                {
                    BoostId = boost.Id,
                    Credits = boost.Remaining - boost.Held,
                });
            }
        }

        if (now >= account.PeriodEnd)
        {
            var plan = _plans.GetValueOrDefault(account.PendingPlan ?? account.Plan)
                ?? new CreditPlan(account.PendingPlan ?? account.Plan, 0m, 0);
            StartPeriod(session, account, now, plan);
        }
    }

    private CreditReservationResult Reserve(ILedgerSession session, in ReservationRequestValue request, string id)
    {
        var hold = Hold(session, request, id);
        return new CreditReservationResult { Reservation = hold.Reservation?.ToPublic(hold.Account.Id), Denial = hold.Denial, Balance = Snapshot(hold.Account, hold.Now) };
    }

    private ReservationReply ReserveReply(ILedgerSession session, in ReservationRequestValue request, string id)
    {
        var hold = Hold(session, request, id);
        return new ReservationReply
        {
            Reservation = hold.Reservation is { } reservation ? new GrantedReservation(reservation) : default,
            Denial = hold.Denial,
            Balance = ReplySnapshot(hold.Account, hold.Now),
        };
    }

    /// <summary>The reserve decision: a new reservation, the one a retried key made, or a denial.</summary>
    private (WorkspaceAccount Account, DateTimeOffset Now, Reservation? Reservation, CreditDenial? Denial) Hold(ILedgerSession session, in ReservationRequestValue request, string id)
    {
        var account = RequireAccount(session);
        var cost = GetCost(account, request.Feature);
        var credits = request.Credits ?? cost;
        var now = _timeProvider.GetUtcNow();
        Touch(session, account, now);

        if (session.FindReservationByKey(request.IdempotencyKey) is { } existing)
        {
            if (existing.Feature != request.Feature || (request.Credits is not null && existing.Credits != credits))
            {
                throw LedgerRefusals.KeyReused(request.IdempotencyKey, existing.Credits, existing.Feature);
            }

            return (account, now, existing, null);
        }

        var denial = LedgerRules.CheckAccess(
            request.Feature,
            credits,
            PlanIncludesAi(account.Plan),
            account.AutomationEnabled,
            account.Available,
            account.PeriodEnd,
            PlanIncludesAi(account.PendingPlan ?? account.Plan),
            _boostPackSizes);
        if (denial is not null)
        {
            return (account, now, null, denial);
        }

        var parts = credits <= account.MonthlyFree ? MonthlyOnly(credits) : LedgerRules.SplitHold(credits, account.MonthlyFree, BoostBuckets(account));
        session.Append(new LedgerEntryValue(account.Id, NextSequence(account), now, LedgerEntryKind.Reserved)
        {
            ReservationId = id,
            IdempotencyKey = request.IdempotencyKey,
            Feature = request.Feature,
            Credits = credits,
            Parts = parts,
            PeriodStart = account.PeriodStart,
            ExpiresAt = now + (request.Ttl ?? _reservationTtl),
            Actor = request.Actor,
        });

        return (account, now, account.ReservedLast!, null);
    }

    private CommitResult Commit(ILedgerSession session, string reservationId, long? actualCredits, long? tokens)
    {
        var charge = Charge(session, reservationId, actualCredits, tokens);
        var reservation = charge.Reservation;
        return new CommitResult(reservation.ToPublic(charge.Account.Id), charge.Charged, reservation.Credits - charge.Charged, Snapshot(charge.Account, charge.Now));
    }

    private CommitReply CommitReply(ILedgerSession session, string reservationId, long? actualCredits, long? tokens)
    {
        var charge = Charge(session, reservationId, actualCredits, tokens);
        return new CommitReply(charge.Charged, charge.Reservation.Credits - charge.Charged, ReplySnapshot(charge.Account, charge.Now));
    }

    /// <summary>The commit decision: the reservation charged (now, or by the retried commit that this one repeats) and what it was charged.</summary>
    private (WorkspaceAccount Account, DateTimeOffset Now, Reservation Reservation, long Charged) Charge(ILedgerSession session, string reservationId, long? actualCredits, long? tokens)
    {
        var account = RequireAccount(session);
        var now = _timeProvider.GetUtcNow();
        Touch(session, account, now);
        var reservation = FindReservation(session, reservationId);

        switch (reservation.Status)
        {
            case ReservationStatus.Held:
                var actual = actualCredits ?? reservation.Credits;
                if (actual > reservation.Credits)
                {
                    throw LedgerRefusals.OverCharge(reservationId, reservation.Credits, actual);
                }

                session.Append(new LedgerEntryValue(account.Id, NextSequence(account), now, LedgerEntryKind.Committed)
                {
                    ReservationId = reservation.Id,
                    Feature = reservation.Feature,
                    Credits = actual,
                    Parts = LedgerRules.SplitCharge(reservation.Parts, actual),
                    PeriodStart = reservation.PeriodStart,
                    Actor = reservation.Actor,
                    Tokens = tokens,
                });
                RaiseThresholds(session, account, now);
                return (account, now, reservation, actual);

            case ReservationStatus.Committed when actualCredits is null || actualCredits == reservation.CommittedCredits:
                return (account, now, reservation, reservation.CommittedCredits ?? 0);

            case ReservationStatus.Committed:
                throw LedgerRefusals.CommittedWithOtherAmount(reservationId, reservation.CommittedCredits);

            case ReservationStatus.Released:
                throw LedgerRefusals.Released(reservationId);

            default:
                throw LedgerRefusals.Expired(reservationId, reservation.ExpiresAt);
        }
    }

    private ReleaseResult Release(ILedgerSession session, string reservationId)
    {
        var account = RequireAccount(session);
        var now = _timeProvider.GetUtcNow();
        Touch(session, account, now);
        var reservation = FindReservation(session, reservationId);

        switch (reservation.Status)
        {
            case ReservationStatus.Held:
                session.Append(Uncharged(account, reservation, now, LedgerEntryKind.Released));
                return new ReleaseResult(reservation.ToPublic(account.Id), reservation.Credits, Snapshot(account, now));

            case ReservationStatus.Released:
                return new ReleaseResult(reservation.ToPublic(account.Id), reservation.Credits, Snapshot(account, now));

            case ReservationStatus.Expired:
                // Its credits already went back when it expired; releasing after a failure is still fine.
                return new ReleaseResult(reservation.ToPublic(account.Id), 0, Snapshot(account, now));

            default:
                throw LedgerRefusals.CannotRelease(reservationId, reservation.CommittedCredits);
        }
    }

    private BoostPackPurchase PurchaseBoost(ILedgerSession session, BoostPackRequest request)
    {
        var account = RequireAccount(session);
        var now = _timeProvider.GetUtcNow();
        Touch(session, account, now);

        foreach (var boost in account.Boosts)
        {
            if (string.Equals(boost.IdempotencyKey, request.IdempotencyKey, StringComparison.Ordinal))
            {
                if (boost.Credits != request.Credits)
                {
                    throw new CreditLedgerException(
                        CreditLedgerError.IdempotencyKeyReused,
                        $"Idempotency key '{request.IdempotencyKey}' was used to buy a {boost.Credits}-credit pack. Use a new key for a new purchase.");
                }

                return new BoostPackPurchase(boost.Id, boost.Credits, boost.PurchasedAt, boost.ExpiresAt, Snapshot(account, now));
            }
        }

        if (!PlanIncludesAi(account.Plan))
        {
            throw new CreditLedgerException(
                CreditLedgerError.PlanExcludesAi,
                $"Plan '{account.Plan}' does not include AI features, so boost packs cannot be used. Upgrade the plan first.");
        }

        var id = NewId("bst", now);
        session.Append(new LedgerEntryValue(account.Id, NextSequence(account), now, LedgerEntryKind.BoostPurchased)
        {
            BoostId = id,
            IdempotencyKey = request.IdempotencyKey,
            Credits = request.Credits,
            ExpiresAt = now + _boostLifetime,
        });
        return new BoostPackPurchase(id, request.Credits, now, now + _boostLifetime, Snapshot(account, now));
    }

    private PlanChangeResult ChangePlan(ILedgerSession session, CreditPlan target)
    {
        var account = RequireAccount(session);
        var now = _timeProvider.GetUtcNow();
        Touch(session, account, now);

        if (string.Equals(account.Plan, target.Name, StringComparison.Ordinal))
        {
            if (account.PendingPlan is not null)
            {
                // Keeping the current plan cancels a scheduled downgrade.
                session.Append(Entry(account, account.Id, now, LedgerEntryKind.PlanChangeScheduled));
            }

            return new PlanChangeResult(account.Plan, null, now, Snapshot(account, now));
        }

        var currentCredits = _plans.GetValueOrDefault(account.Plan)?.MonthlyCredits ?? account.Allocation;
        if (LedgerRules.AppliesImmediately(currentCredits, target.MonthlyCredits))
        {
            session.Append(new LedgerEntryValue(account.Id, NextSequence(account), now, LedgerEntryKind.PlanChanged)
            {
                Plan = target.Name,
                Credits = target.MonthlyCredits,
            });
            RaiseThresholds(session, account, now);
            return new PlanChangeResult(account.Plan, null, now, Snapshot(account, now));
        }

        if (!string.Equals(account.PendingPlan, target.Name, StringComparison.Ordinal))
        {
            // Scheduled once: a retried call (its reply lost on the way) adds nothing to the audit trail.
            session.Append(Entry(account, account.Id, now, LedgerEntryKind.PlanChangeScheduled) with { Plan = target.Name });
        }

        return new PlanChangeResult(account.Plan, account.PendingPlan, account.PeriodEnd, Snapshot(account, now));
    }

    private void RaiseThresholds(ILedgerSession session, WorkspaceAccount account, DateTimeOffset now)
    {
        if (LedgerRules.ThresholdsReached(account.Used, account.Allocation, account.ThresholdsCrossed, _thresholds) is not { } reached)
        {
            return;
        }

        foreach (var percent in reached)
        {
            session.Append(new LedgerEntryValue(account.Id, NextSequence(account), now, LedgerEntryKind.ThresholdCrossed)
            {
                Percent = percent,
                Credits = account.Used,
                PeriodStart = account.PeriodStart,
            });
        }
    }

    private static Reservation FindReservation(ILedgerSession session, string reservationId)
        => session.FindReservation(reservationId) ?? throw new CreditLedgerException(
            CreditLedgerError.ReservationNotFound,
            $"The workspace has no reservation '{reservationId}'. Use the id ReserveAsync returned.");

    private static List<LedgerRules.BoostBucket> BoostBuckets(WorkspaceAccount account)
    {
        if (account.Boosts.Count == 0)
        {
            return s_noBoosts;
        }

        var buckets = new List<LedgerRules.BoostBucket>(account.Boosts.Count);
        foreach (var boost in account.Boosts)
        {
            if (boost.Free > 0)
            {
                buckets.Add(new LedgerRules.BoostBucket(boost.Id, boost.Free, boost.ExpiresAt, boost.PurchasedAt));
            }
        }

        return buckets;
    }

    /// <summary>
    /// The parts of a hold the monthly allocation covers alone, as <see cref="LedgerRules.SplitHold"/> makes them. Parts
    /// arrays are never written once made (entries and reservations already share them), so the array of the last
    /// such hold serves every next one of the same amount: a guarded feature holds the same price call after call.
    /// </summary>
    private CreditPart[] MonthlyOnly(long credits)
    {
        if (Volatile.Read(ref _lastMonthlyOnly) is [var last] parts && last.Credits == credits)
        {
            return parts;
        }

        parts = LedgerRules.SplitHold(credits, credits, s_noBoosts);
        Volatile.Write(ref _lastMonthlyOnly, parts);
        return parts;
    }

    private bool PlanIncludesAi(string plan)
    {
        // Accounts keep the plan name they were given, so the same string comes back decision after decision.
        if (Volatile.Read(ref _lastPlan) is { } last && ReferenceEquals(last.Name, plan))
        {
            return last.IncludesAi;
        }

        var includesAi = _plans.TryGetValue(plan, out var p) && p.IncludesAi;
        Volatile.Write(ref _lastPlan, new PlanFlag(plan, includesAi));
        return includesAi;
    }

    private long GetCost(WorkspaceAccount account, AiFeature feature)
    {
        if (account.CostOverrides is { } overrides && overrides.TryGetValue(feature.Name, out var overridden))
        {
            return overridden;
        }

        if (_costs.TryGetValue(feature, out var cost))
        {
            return cost;
        }

        throw new ArgumentException(
            $"'{feature}' is not a known AI feature. Use a built-in feature, or register '{feature}' with a cost in CreditLedgerOptions.Costs or the workspace's costs.",
            nameof(feature));
    }

    private long CheapestEnabledCost(WorkspaceAccount account)
    {
        if (account.CostOverrides is null)
        {
            return account.AutomationEnabled ? _cheapestWithAutomation : _cheapestWithoutAutomation;
        }

        var cheapest = long.MaxValue;
        foreach (var (feature, cost) in _costs)
        {
            if (LedgerRules.RefusesForAutomation(feature, account.AutomationEnabled))
            {
                continue;
            }

            var effective = account.CostOverrides is { } o && o.TryGetValue(feature.Name, out var c) ? c : cost;
            cheapest = Math.Min(cheapest, effective);
        }

        if (account.CostOverrides is { } overrides)
        {
            foreach (var (name, cost) in overrides)
            {
                if (!string.Equals(name, AiFeature.AutomatedResponse.Name, StringComparison.OrdinalIgnoreCase) || account.AutomationEnabled)
                {
                    cheapest = Math.Min(cheapest, cost);
                }
            }
        }

        return cheapest;
    }

    private CreditBalance Snapshot(WorkspaceAccount account, DateTimeOffset now) => BalanceSnapshot.Build(TermsOf(account), account, now);

    /// <summary>The balance after a guarded call's decision, built into a <see cref="CreditBalance"/> only if read.</summary>
    private BalanceSnapshot ReplySnapshot(WorkspaceAccount account, DateTimeOffset now) => BalanceSnapshot.Of(TermsOf(account), account, now);

    private BalanceTerms TermsOf(WorkspaceAccount account)
    {
        var cheapest = CheapestEnabledCost(account);
        if (account.BalanceTerms is { } terms && terms.Describe(account, this, cheapest))
        {
            return terms;
        }

        var includesAi = PlanIncludesAi(account.Plan);
        var nextIncludesAi = account.PendingPlan is { } pending ? PlanIncludesAi(pending) : includesAi;
        return account.BalanceTerms = BalanceTerms.Of(account, this, includesAi, nextIncludesAi, cheapest);
    }

    private static bool CostsEqual(Dictionary<string, long>? left, IReadOnlyDictionary<string, long>? right)
    {
        if (left is null || left.Count == 0)
        {
            return right is null || right.Count == 0;
        }

        return right is not null && left.Count == right.Count
            && left.All(pair => right.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }

    private sealed record PlanFlag(string Name, bool IncludesAi);
}
