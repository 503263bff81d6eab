namespace Versana.Sdk.Rules;

/// <summary>
/// What the clock alone decides, before every decision on a workspace: reservations past their TTL are released,
/// boost packs past their expiry lapse, and the allocation refreshes at the first instant of the local 1st. No job
/// has to run: a workspace untouched for months catches up on its next decision.
/// </summary>
internal static partial class CreditRules
{
    /// <summary>Applies the clock's changes up to <paramref name="now"/>.</summary>
    /// <param name="log">The decision's log.</param>
    /// <param name="due">The open reservations whose TTL has passed by <paramref name="now"/>, as the store found them.</param>
    /// <param name="now">The instant of the decision.</param>
    /// <param name="policy">The policy.</param>
    public static void Refresh(DecisionLog log, IReadOnlyList<ReservationState> due, DateTimeOffset now, CreditPolicy policy)
    {
        var account = log.State!;

        // Earliest first, and those due at the same instant by id: every store writes them in one order.
        if (due.Count > 0)
        {
            foreach (var reservation in due.Where(r => r.Status == ReservationStatus.Held && r.ExpiresAt <= now).OrderBy(r => r.ExpiresAt).ThenBy(r => r.Id, StringComparer.Ordinal))
            {
                account = log.Append(Uncharged(account, reservation, now, LedgerEntryKind.ReservationExpired));
            }
        }

        if (!account.Boosts.IsEmpty)
        {
            foreach (var boost in account.Boosts.Where(b => !b.Expired && b.ExpiresAt <= now).ToArray())
            {
                // Held credits stay with their reservations; only the free part lapses.
                account = log.Append(new LedgerEntry(account.Id, 0, now, LedgerEntryKind.BoostExpired) { BoostId = boost.Id, Credits = boost.Free });
            }
        }

        if (now >= account.PeriodEnd)
        {
            var next = account.PendingPlan ?? account.Plan;
            StartPeriod(log, now, next, policy.FindPlan(next)?.MonthlyCredits ?? 0);
        }
    }

    /// <summary>Starts the period that contains <paramref name="now"/> with the plan's allocation; unused credits never carry over.</summary>
    private static void StartPeriod(DecisionLog log, DateTimeOffset now, string plan, long credits)
    {
        var account = log.State!;
        var period = BillingCalendar.GetPeriod(now, account.TimeZone);
        log.Append(new LedgerEntry(account.Id, 0, now, LedgerEntryKind.PeriodStarted)
        {
            Plan = plan,
            Credits = credits,
            PeriodStart = period.Start,
            PeriodEnd = period.End,
        });
    }

    /// <summary>The entry that ends a held reservation without a charge (released, or expired): its hold goes back.</summary>
    private static LedgerEntry Uncharged(AccountState account, ReservationState reservation, DateTimeOffset now, LedgerEntryKind kind)
        => new(account.Id, 0, now, kind)
        {
            ReservationId = reservation.Id,
            Feature = reservation.Feature,
            Credits = reservation.Credits,
            Parts = reservation.Parts,
            PeriodStart = reservation.PeriodStart,
        };
}
