namespace Versana.Sdk;

/// <summary>
/// The outcome of committing a reservation.
/// </summary>
/// <param name="Reservation">The committed reservation.</param>
/// <param name="Charged">The credits charged.</param>
/// <param name="Returned">The held credits given back because the action cost less than reserved.</param>
/// <param name="Balance">The balance right after the commit.</param>
public sealed record CommitResult(CreditReservation Reservation, long Charged, long Returned, CreditBalance Balance);
