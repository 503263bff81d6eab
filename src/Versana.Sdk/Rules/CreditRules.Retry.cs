namespace Versana.Sdk.Rules;

/// <summary>
/// Idempotent retries: a request repeated with the same idempotency key (its answer lost on the way) gets the first
/// outcome and changes nothing; the same key sent for a different request is refused.
/// </summary>
internal static partial class CreditRules
{
    /// <summary>A reserve whose key made <paramref name="existing"/>: that reservation, as it stands now.</summary>
    private static CreditReservationResult RetriedReserve(AccountState account, ReservationState existing, AiFeature feature, string idempotencyKey, long? credits, DateTimeOffset now, CreditPolicy policy)
    {
        if (!string.Equals(existing.IdempotencyKey, idempotencyKey, StringComparison.Ordinal)
            || existing.Feature != feature
            || (credits is not null && existing.Credits != credits))
        {
            throw LedgerRefusals.KeyReused(idempotencyKey, existing.Credits, existing.Feature);
        }

        return new CreditReservationResult { Reservation = existing.ToPublic(account.Id), Balance = Balance(account, now, policy) };
    }

    /// <summary>A commit of a reservation no longer held: the first commit's answer, or why it cannot be charged.</summary>
    private static CommitResult RetriedCommit(AccountState account, ReservationState reservation, long? actualCredits, DateTimeOffset now, CreditPolicy policy) => reservation.Status switch
    {
        ReservationStatus.Committed when actualCredits is null || actualCredits == reservation.CommittedCredits
            => new CommitResult(reservation.ToPublic(account.Id), reservation.CommittedCredits ?? 0, reservation.Credits - (reservation.CommittedCredits ?? 0), Balance(account, now, policy)),
        ReservationStatus.Committed => throw LedgerRefusals.CommittedWithOtherAmount(reservation.Id, reservation.CommittedCredits),
        ReservationStatus.Released => throw LedgerRefusals.Released(reservation.Id),
        _ => throw LedgerRefusals.Expired(reservation.Id, reservation.ExpiresAt),
    };

    /// <summary>A release of a reservation no longer held: what the first release gave back (an expiry gave it back already).</summary>
    private static ReleaseResult RetriedRelease(AccountState account, ReservationState reservation, DateTimeOffset now, CreditPolicy policy) => reservation.Status switch
    {
        ReservationStatus.Released => new ReleaseResult(reservation.ToPublic(account.Id), reservation.Credits, Balance(account, now, policy)),
        ReservationStatus.Expired => new ReleaseResult(reservation.ToPublic(account.Id), 0, Balance(account, now, policy)),
        _ => throw LedgerRefusals.CannotRelease(reservation.Id, reservation.CommittedCredits),
    };

    /// <summary>A purchase whose key bought <paramref name="pack"/>: that purchase, credits added once.</summary>
    private static BoostPackPurchase RetriedPurchase(AccountState account, BoostPack pack, long credits, DateTimeOffset now, CreditPolicy policy)
        => pack.Credits == credits
            ? new BoostPackPurchase(pack.Id, pack.Credits, pack.PurchasedAt, pack.ExpiresAt, Balance(account, now, policy))
            : throw new CreditLedgerException(
                CreditLedgerError.IdempotencyKeyReused,
                $"Idempotency key '{pack.IdempotencyKey}' was used to buy a {pack.Credits}-credit pack. Use a new key for a new purchase.");

    /// <summary>A creation of a workspace that exists: its balance when the settings are the same, else a refusal.</summary>
    private static CreditBalance RetriedCreate(AccountState account, string plan, string timeZoneId, bool automationEnabled, IReadOnlyDictionary<string, long>? costs, DateTimeOffset now, CreditPolicy policy)
        => string.Equals(account.Plan, plan, StringComparison.Ordinal)
            && string.Equals(account.TimeZoneId, timeZoneId, StringComparison.Ordinal)
            && account.AutomationEnabled == automationEnabled
            && CostsEqual(account.Costs, costs)
                ? Balance(account, now, policy)
                : throw new CreditLedgerException(
                    CreditLedgerError.WorkspaceAlreadyExists,
                    $"Workspace '{account.Id}' already exists with other settings. Change its plan or settings instead of creating it again.");

    private static bool CostsEqual(System.Collections.Immutable.ImmutableDictionary<string, long> current, IReadOnlyDictionary<string, long>? asked)
        => asked is null || asked.Count == 0
            ? current.Count == 0
            : current.Count == asked.Count && current.All(pair => asked.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
