using System.Diagnostics.CodeAnalysis;

namespace Versana.Sdk;

/// <summary>
/// A <see cref="CreditReservationResult"/> as the credit guard takes it from the ledger: the reservation kept as
/// <see cref="GrantedReservation"/> (its record made only if read), and no reply object.
/// </summary>
internal readonly struct ReservationReply
{
    /// <summary>Gets the reservation, when granted.</summary>
    public GrantedReservation Reservation { get; init; }

    /// <summary>Gets the denial, when refused.</summary>
    public CreditDenial? Denial { get; init; }

    /// <summary>Gets the balance right after the decision.</summary>
    public required BalanceSnapshot Balance { get; init; }

    [MemberNotNullWhen(false, nameof(Denial))]
    public bool IsGranted => Denial is null;

    public static ReservationReply From(CreditReservationResult result) => new()
    {
        Reservation = result.Reservation is { } reservation ? new GrantedReservation(reservation) : default,
        Denial = result.Denial,
        Balance = BalanceSnapshot.Of(result.Balance),
    };
}
