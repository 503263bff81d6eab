namespace Versana.Sdk.Rules;

/// <summary>
/// The decisions on one workspace, as pure functions of (its state after <see cref="Refresh"/>, the request, now,
/// the policy). Requests are validated before they get here; a decision that throws makes no entry at all.
/// </summary>
internal static partial class CreditRules
{
    public static CreditBalance Create(DecisionLog log, string workspaceId, CreditPlan plan, string timeZoneId, bool automationEnabled, IReadOnlyDictionary<string, long>? costs, DateTimeOffset now, CreditPolicy policy)
    {
        if (log.State is { } existing)
        {
            return RetriedCreate(existing, plan.Name, timeZoneId, automationEnabled, costs, now, policy);
        }

        log.Append(new LedgerEntry(workspaceId, 0, now, LedgerEntryKind.WorkspaceCreated)
        {
            Plan = plan.Name,
            TimeZoneId = timeZoneId,
            AutomationEnabled = automationEnabled,
            Costs = costs is { Count: > 0 } ? costs : null,
        });
        StartPeriod(log, now, plan.Name, plan.MonthlyCredits);
        return Balance(log.State!, now, policy);
    }

    public static CreditBalance UpdateSettings(DecisionLog log, bool? automationEnabled, IReadOnlyDictionary<string, long>? costs, DateTimeOffset now, CreditPolicy policy)
    {
        var account = log.State!;

        // Only what changes is written: a retried call adds nothing to the audit trail.
        var automationChanged = automationEnabled is { } enabled && enabled != account.AutomationEnabled;
        var costsChanged = costs is not null && !CostsEqual(account.Costs, costs);
        if (automationChanged || costsChanged)
        {
            account = log.Append(new LedgerEntry(account.Id, 0, now, LedgerEntryKind.SettingsChanged)
            {
                AutomationEnabled = automationChanged ? automationEnabled : null,
                Costs = costsChanged ? costs : null,
            });
        }

        return Balance(account, now, policy);
    }

    /// <summary>An upgrade (as many credits or more) applies at once, what was used still counting; a downgrade at the next refresh.</summary>
    public static PlanChangeResult ChangePlan(DecisionLog log, CreditPlan target, DateTimeOffset now, CreditPolicy policy)
    {
        var account = log.State!;
        if (string.Equals(account.Plan, target.Name, StringComparison.Ordinal))
        {
            if (account.PendingPlan is not null)
            {
                // Keeping the current plan cancels a scheduled downgrade.
                account = log.Append(new LedgerEntry(account.Id, 0, now, LedgerEntryKind.PlanChangeScheduled));
            }

            return new PlanChangeResult(account.Plan, null, now, Balance(account, now, policy));
        }

        var currentCredits = policy.FindPlan(account.Plan)?.MonthlyCredits ?? account.Allocation;
        if (target.MonthlyCredits >= currentCredits)
        {
            log.Append(new LedgerEntry(account.Id, 0, now, LedgerEntryKind.PlanChanged) { Plan = target.Name, Credits = target.MonthlyCredits });
            account = RaiseThresholds(log, now, policy);
            return new PlanChangeResult(account.Plan, null, now, Balance(account, now, policy));
        }

        if (!string.Equals(account.PendingPlan, target.Name, StringComparison.Ordinal))
        {
            account = log.Append(new LedgerEntry(account.Id, 0, now, LedgerEntryKind.PlanChangeScheduled) { Plan = target.Name });
        }

        return new PlanChangeResult(account.Plan, account.PendingPlan, account.PeriodEnd, Balance(account, now, policy));
    }

    /// <summary>Holds the credits of an action, or refuses it whole; a retried key gets its first reservation.</summary>
    /// <param name="log">The decision's log.</param>
    /// <param name="existing">The reservation with the id the key names, if there is one.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="reservationId">The id the key names.</param>
    /// <param name="now">The instant.</param>
    /// <param name="policy">The policy.</param>
    public static CreditReservationResult Reserve(DecisionLog log, ReservationState? existing, ReservationRequest request, string reservationId, DateTimeOffset now, CreditPolicy policy)
    {
        var account = log.State!;
        var cost = policy.CostOf(account, request.Feature) ?? throw new ArgumentException(
            $"'{request.Feature}' is not a known AI feature. Use a built-in feature, or register '{request.Feature}' with a cost in CreditLedgerOptions.Costs or the workspace's costs.",
            nameof(request));
        var credits = request.Credits ?? cost;

        if (existing is not null)
        {
            return RetriedReserve(account, existing, request.Feature, request.IdempotencyKey, request.Credits is null ? null : credits, now, policy);
        }

        if (CheckAccess(account, request.Feature, credits, policy) is { } denial)
        {
            return new CreditReservationResult { Denial = denial, Balance = Balance(account, now, policy) };
        }

        var entry = new LedgerEntry(account.Id, 0, now, LedgerEntryKind.Reserved)
        {
            ReservationId = reservationId,
            IdempotencyKey = request.IdempotencyKey,
            Feature = request.Feature,
            Credits = credits,
            Parts = SplitHold(account, credits),
            PeriodStart = account.PeriodStart,
            ExpiresAt = now + (request.Ttl ?? policy.ReservationTtl),
            Actor = request.Actor,
        };
        account = log.Append(entry);
        var reservation = ApplyToReservation(null, log.Entries[^1])!;
        return new CreditReservationResult { Reservation = reservation.ToPublic(account.Id), Balance = Balance(account, now, policy) };
    }

    /// <summary>Charges a held reservation its actual cost (at most what it holds); the rest goes back.</summary>
    public static CommitResult Commit(DecisionLog log, ReservationState? reservation, string reservationId, long? actualCredits, long? tokens, DateTimeOffset now, CreditPolicy policy)
    {
        var account = log.State!;
        reservation = RequireReservation(reservation, reservationId);
        if (reservation.Status != ReservationStatus.Held)
        {
            return RetriedCommit(account, reservation, actualCredits, now, policy);
        }

        var actual = actualCredits ?? reservation.Credits;
        if (actual > reservation.Credits)
        {
            throw LedgerRefusals.OverCharge(reservationId, reservation.Credits, actual);
        }

        var (charged, returned) = SplitCharge(reservation.Parts, actual);
        var entry = log.Append(new LedgerEntry(account.Id, 0, now, LedgerEntryKind.Committed)
        {
            ReservationId = reservation.Id,
            Feature = reservation.Feature,
            Credits = actual,
            Parts = charged,
            Returned = returned.Count > 0 ? returned : null,
            PeriodStart = reservation.PeriodStart,
            Actor = reservation.Actor,
            Tokens = tokens,
        });
        var committed = ApplyToReservation(reservation, log.Entries[^1])!;
        account = RaiseThresholds(log, now, policy);
        return new CommitResult(committed.ToPublic(account.Id), actual, reservation.Credits - actual, Balance(account, now, policy));
    }

    /// <summary>Gives a held reservation's credits back: a failed or cancelled action costs nothing.</summary>
    public static ReleaseResult Release(DecisionLog log, ReservationState? reservation, string reservationId, DateTimeOffset now, CreditPolicy policy)
    {
        var account = log.State!;
        reservation = RequireReservation(reservation, reservationId);
        if (reservation.Status != ReservationStatus.Held)
        {
            return RetriedRelease(account, reservation, now, policy);
        }

        account = log.Append(Uncharged(account, reservation, now, LedgerEntryKind.Released));
        var released = ApplyToReservation(reservation, log.Entries[^1])!;
        return new ReleaseResult(released.ToPublic(account.Id), reservation.Credits, Balance(account, now, policy));
    }

    /// <summary>Adds a boost pack's credits at once (they lift a pause); a retried key adds them once.</summary>
    public static BoostPackPurchase PurchaseBoost(DecisionLog log, BoostPackRequest request, string boostId, DateTimeOffset now, CreditPolicy policy)
    {
        var account = log.State!;
        if (account.Boosts.FirstOrDefault(b => string.Equals(b.IdempotencyKey, request.IdempotencyKey, StringComparison.Ordinal)) is { } bought)
        {
            return RetriedPurchase(account, bought, request.Credits, now, policy);
        }

        if (!policy.IncludesAi(account.Plan))
        {
            throw new CreditLedgerException(
                CreditLedgerError.PlanExcludesAi,
                $"Plan '{account.Plan}' does not include AI features, so boost packs cannot be used. Upgrade the plan first.");
        }

        var expiresAt = now + policy.BoostPackLifetime;
        account = log.Append(new LedgerEntry(account.Id, 0, now, LedgerEntryKind.BoostPurchased)
        {
            BoostId = boostId,
            IdempotencyKey = request.IdempotencyKey,
            Credits = request.Credits,
            ExpiresAt = expiresAt,
        });
        return new BoostPackPurchase(boostId, request.Credits, now, expiresAt, Balance(account, now, policy));
    }

    /// <summary>Brings a reservation found before <see cref="Refresh"/> up to date with the entries the refresh made (its expiry).</summary>
    public static ReservationState? Current(ReservationState? reservation, IReadOnlyList<LedgerEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (reservation is not null && string.Equals(entry.ReservationId, reservation.Id, StringComparison.Ordinal))
            {
                reservation = ApplyToReservation(reservation, entry);
            }
        }

        return reservation;
    }

    /// <summary>Raises each usage threshold once per period, when used credits reach it (in integers: 2,999 of 3,000 is not 100%).</summary>
    private static AccountState RaiseThresholds(DecisionLog log, DateTimeOffset now, CreditPolicy policy)
    {
        var account = log.State!;
        if (account.Allocation <= 0)
        {
            return account;
        }

        foreach (var percent in policy.Thresholds)
        {
            if (account.Used * 100 < (long)percent * account.Allocation)
            {
                break;
            }

            if (!account.ThresholdsCrossed.Contains(percent))
            {
                account = log.Append(new LedgerEntry(account.Id, 0, now, LedgerEntryKind.ThresholdCrossed)
                {
                    Percent = percent,
                    Credits = account.Used,
                    PeriodStart = account.PeriodStart,
                });
            }
        }

        return account;
    }

    private static ReservationState RequireReservation(ReservationState? reservation, string reservationId)
        => reservation ?? throw new CreditLedgerException(
            CreditLedgerError.ReservationNotFound,
            $"The workspace has no reservation '{reservationId}'. Use the id ReserveAsync returned.");
}
