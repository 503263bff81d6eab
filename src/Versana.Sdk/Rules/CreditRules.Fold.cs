namespace Versana.Sdk.Rules;

/// <summary>
/// The fold: how one audit entry changes an account and a reservation. Decisions make entries and apply them with
/// these functions; replay applies the stored entries with the same functions, so the two must agree.
/// </summary>
internal static partial class CreditRules
{
    /// <summary>Applies one entry to the account (null before the workspace exists). Entries are checked before they are made, so applying one never fails.</summary>
    public static AccountState Apply(AccountState? state, LedgerEntry entry)
    {
        if (entry.Kind == LedgerEntryKind.WorkspaceCreated)
        {
            return new AccountState
            {
                Id = entry.WorkspaceId,
                Plan = entry.Plan!,
                TimeZoneId = entry.TimeZoneId!,
                AutomationEnabled = entry.AutomationEnabled ?? false,
                Costs = ToCosts(entry.Costs),
                CreatedAt = entry.At,
                LastSequence = entry.Sequence,
            };
        }

        var account = state ?? throw new InvalidOperationException($"Entry {entry.Sequence} of workspace '{entry.WorkspaceId}' comes before the workspace was created.");
        account = entry.Kind switch
        {
            LedgerEntryKind.PeriodStarted => account with
            {
                PeriodStart = entry.PeriodStart!.Value,
                PeriodEnd = entry.PeriodEnd!.Value,
                Plan = entry.Plan!,
                PendingPlan = null,
                Allocation = entry.Credits,
                Used = 0,
                HeldMonthly = 0,
                ThresholdsCrossed = [],
            },
            LedgerEntryKind.Reserved => Move(account, entry.Parts, held: +1, charged: 0, entry.PeriodStart!.Value),
            LedgerEntryKind.Committed => Move(Move(account, entry.Parts, held: -1, charged: +1, entry.PeriodStart!.Value), entry.Returned, held: -1, charged: 0, entry.PeriodStart!.Value),
            LedgerEntryKind.Released or LedgerEntryKind.ReservationExpired => Move(account, entry.Parts, held: -1, charged: 0, entry.PeriodStart!.Value),
            LedgerEntryKind.BoostPurchased => account with
            {
                Boosts = account.Boosts.Add(new BoostPack(entry.BoostId!, entry.IdempotencyKey!, entry.Credits, entry.Credits, 0, entry.At, entry.ExpiresAt, Expired: false)),
            },
            LedgerEntryKind.BoostExpired => UpdateBoost(account, entry.BoostId!, entry.Credits, static (b, lapsed) => b with { Expired = true, Remaining = b.Remaining - lapsed }),
            LedgerEntryKind.PlanChanged => account with { Plan = entry.Plan!, PendingPlan = null, Allocation = entry.Credits },
            LedgerEntryKind.PlanChangeScheduled => account with { PendingPlan = entry.Plan },
            LedgerEntryKind.SettingsChanged => account with
            {
                AutomationEnabled = entry.AutomationEnabled ?? account.AutomationEnabled,
                Costs = entry.Costs is null ? account.Costs : ToCosts(entry.Costs),
            },
            LedgerEntryKind.ThresholdCrossed => account with { ThresholdsCrossed = account.ThresholdsCrossed.Add(entry.Percent!.Value) },
            _ => throw new InvalidOperationException($"Unknown ledger entry kind {entry.Kind}."),
        };

        return account with { LastSequence = entry.Sequence };
    }

    /// <summary>Applies one entry to the reservation it concerns (null before it is made); other entries leave it as it is.</summary>
    public static ReservationState? ApplyToReservation(ReservationState? reservation, LedgerEntry entry) => entry.Kind switch
    {
        LedgerEntryKind.Reserved => new ReservationState
        {
            Id = entry.ReservationId!,
            IdempotencyKey = entry.IdempotencyKey!,
            Feature = entry.Feature!.Value,
            Credits = entry.Credits,
            Parts = entry.Parts ?? [],
            PeriodStart = entry.PeriodStart!.Value,
            CreatedAt = entry.At,
            ExpiresAt = entry.ExpiresAt!.Value,
            Actor = entry.Actor,
        },
        LedgerEntryKind.Committed => reservation! with { Status = ReservationStatus.Committed, CommittedCredits = entry.Credits, CompletedAt = entry.At },
        LedgerEntryKind.Released => reservation! with { Status = ReservationStatus.Released, CompletedAt = entry.At },
        LedgerEntryKind.ReservationExpired => reservation! with { Status = ReservationStatus.Expired, CompletedAt = entry.At },
        _ => reservation,
    };

    /// <summary>Whether the entry makes or completes a reservation.</summary>
    public static bool ConcernsReservation(LedgerEntry entry)
        => entry.Kind is LedgerEntryKind.Reserved or LedgerEntryKind.Committed or LedgerEntryKind.Released or LedgerEntryKind.ReservationExpired;

    /// <summary>
    /// Holds (<paramref name="held"/> +1), un-holds (−1) and charges (<paramref name="charged"/> +1) credit parts.
    /// Monthly credits count only in their own period: a hold that straddles the refresh is charged to the period it
    /// was reserved from, whose counters the refresh already reset.
    /// </summary>
    private static AccountState Move(AccountState account, IReadOnlyList<CreditPart>? parts, int held, int charged, DateTimeOffset periodStart)
    {
        if (parts is null)
        {
            return account;
        }

        var samePeriod = periodStart == account.PeriodStart;
        foreach (var part in parts)
        {
            if (part.Bucket == CreditPart.MonthlyBucket)
            {
                if (samePeriod)
                {
                    account = account with
                    {
                        HeldMonthly = checked(account.HeldMonthly + (held * part.Credits)),
                        Used = checked(account.Used + (charged * part.Credits)),
                    };
                }
            }
            else
            {
                account = UpdateBoost(account, part.Bucket, (Held: held * part.Credits, Charged: charged * part.Credits), static (b, change) => b with
                {
                    Held = checked(b.Held + change.Held),
                    Remaining = checked(b.Remaining - change.Charged),
                });
            }
        }

        return account;
    }

    private static AccountState UpdateBoost<TChange>(AccountState account, string id, TChange change, Func<BoostPack, TChange, BoostPack> update)
    {
        for (var index = 0; index < account.Boosts.Length; index++)
        {
            if (string.Equals(account.Boosts[index].Id, id, StringComparison.Ordinal))
            {
                return account with { Boosts = account.Boosts.SetItem(index, update(account.Boosts[index], change)) };
            }
        }

        throw new InvalidOperationException($"Boost pack '{id}' is not in workspace '{account.Id}'.");
    }

    private static System.Collections.Immutable.ImmutableDictionary<string, long> ToCosts(IReadOnlyDictionary<string, long>? costs)
        => System.Collections.Immutable.ImmutableDictionary.CreateRange(StringComparer.OrdinalIgnoreCase, costs ?? new Dictionary<string, long>());
}
