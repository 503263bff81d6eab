namespace Versana.Sdk;

/// <summary>
/// What a guarded action knows about the credits it runs on, and how it reports a metered cost.
/// </summary>
public sealed class CreditGuardContext
{
    internal CreditGuardContext(string workspaceId, AiFeature feature, CreditReservation reservation)
    {
        WorkspaceId = workspaceId;
        Feature = feature;
        Reservation = reservation;
    }

    /// <summary>Gets the workspace paying for the action.</summary>
    public string WorkspaceId { get; }

    /// <summary>Gets the feature.</summary>
    public AiFeature Feature { get; }

    /// <summary>Gets the reservation the action runs on.</summary>
    public CreditReservation Reservation { get; }

    internal string ReservationId => Reservation.Id;

    /// <summary>Gets the user action's idempotency key, from which each attempt's key is derived.</summary>
    internal string ActionKey { get; init; } = string.Empty;

    /// <summary>Gets the guarded context this one runs inside, once entered (see <see cref="GuardScope"/>).</summary>
    internal CreditGuardContext? Enclosing { get; private set; }

    /// <summary>Gets a value indicating whether this context was made the ambient one.</summary>
    internal bool Entered { get; private set; }

    /// <summary>Gets the cost reported with <see cref="ReportActualCost"/>, if any.</summary>
    public long? ActualCredits { get; private set; }

    /// <summary>Gets or sets the tokens the AI backend reported using, for the usage record.</summary>
    public long? TokensUsed { get; set; }

    /// <summary>Reports what the action really cost, at most what was reserved; the rest goes back to the pool at commit.</summary>
    /// <param name="credits">The actual cost.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="credits"/> is negative or above the reservation.</exception>
    public void ReportActualCost(long credits)
    {
        var reserved = Reservation.Credits;
        if (credits < 0 || credits > reserved)
        {
            throw new ArgumentOutOfRangeException(
                nameof(credits),
                credits,
                $"The actual cost must be between 0 and the {reserved} credits reserved; reserve more up front with AiCallOptions.Credits.");
        }

        ActualCredits = credits;
    }

    /// <summary>Records that this context became the ambient one inside <paramref name="enclosing"/>.</summary>
    internal void Enter(CreditGuardContext? enclosing)
    {
        Enclosing = enclosing;
        Entered = true;
    }
}
