namespace Versana.Sdk;

/// <summary>
/// The outcome of releasing a reservation: its credits are available again.
/// </summary>
/// <param name="Reservation">The released reservation.</param>
/// <param name="Returned">The credits given back.</param>
/// <param name="Balance">The balance right after the release.</param>
public sealed record ReleaseResult(CreditReservation Reservation, long Returned, CreditBalance Balance);
