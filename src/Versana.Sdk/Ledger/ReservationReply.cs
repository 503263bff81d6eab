using System.Diagnostics.CodeAnalysis;

namespace Versana.Sdk;

/// <summary>
/// A <see cref="CreditReservationResult"/> as the credit guard takes it from the ledger: the reservation kept as
/// <see cref="GrantedReservation"/>, the balance as a value (see <see cref="CreditBalanceValue"/>), no reply object.
/// </summary>
internal readonly struct ReservationReply
{
    /// <summary>Gets the reservation, when granted.</summary>
    public GrantedReservation Reservation { get; init; }

    /// <summary>Gets the denial, when refused.</summary>
    public CreditDenial? Denial { get; init; }

    /// <summary>Gets the balance right after the decision.</summary>
    public required CreditBalanceValue Balance { get; init; }

    [MemberNotNullWhen(false, nameof(Denial))]
    public bool IsGranted => Denial is null;

    public static ReservationReply From(CreditReservationResult result) => new()
    {
        Reservation = result.Reservation is { } reservation ? new GrantedReservation(reservation) : default,
        Denial = result.Denial,
        Balance = CreditBalanceValue.From(result.Balance),
    };
}
