namespace Versana.Sdk.Rules;

/// <summary>
/// The refusals about one reservation, worded once: the rules and the remote ledger's local allowance (which
/// decides some reservations in its own process) must answer a retry the same way.
/// </summary>
internal static class LedgerRefusals
{
    public static CreditLedgerException KeyReused(string idempotencyKey, long credits, AiFeature feature) => new(
        CreditLedgerError.IdempotencyKeyReused,
        $"Idempotency key '{idempotencyKey}' was used for a reservation of {credits} credits for {feature}. Use a new key for a new action.");

    public static ArgumentOutOfRangeException OverCharge(string reservationId, long held, long actualCredits) => new(
        nameof(actualCredits),
        actualCredits,
        $"Reservation '{reservationId}' holds {held} credits; a commit cannot charge more. Reserve the larger amount up front.");

    public static CreditLedgerException CommittedWithOtherAmount(string reservationId, long? committed) => new(
        CreditLedgerError.ReservationAlreadyCompleted,
        $"Reservation '{reservationId}' was already committed for {committed} credits; a retry must send the same amount.");

    public static CreditLedgerException Released(string reservationId) => new(
        CreditLedgerError.ReservationAlreadyCompleted,
        $"Reservation '{reservationId}' was released, so it cannot be committed. Reserve again to charge for a new action.");

    public static CreditLedgerException CannotRelease(string reservationId, long? committed) => new(
        CreditLedgerError.ReservationAlreadyCompleted,
        $"Reservation '{reservationId}' was committed for {committed} credits and cannot be released.");

    public static CreditLedgerException Expired(string reservationId, DateTimeOffset expiresAt, string? why = null) => new(
        CreditLedgerError.ReservationExpired,
        $"Reservation '{reservationId}' expired at {expiresAt:u}{why} and its credits were released. Reserve again, with a longer TTL if the action takes that long.");
}
