using System.Diagnostics.CodeAnalysis;

namespace Versana.Sdk;

/// <summary>
/// The outcome of a reservation request: a reservation, or a denial.
/// </summary>
public sealed record CreditReservationResult
{
    /// <summary>Gets the reservation, when granted.</summary>
    public CreditReservation? Reservation { get; init; }

    /// <summary>Gets the denial, when refused.</summary>
    public CreditDenial? Denial { get; init; }

    /// <summary>Gets the balance right after the decision.</summary>
    public required CreditBalance Balance { get; init; }

    /// <summary>Gets a value indicating whether the reservation was granted.</summary>
    [MemberNotNullWhen(true, nameof(Reservation))]
    [MemberNotNullWhen(false, nameof(Denial))]
    public bool IsGranted => Reservation is not null;
}
