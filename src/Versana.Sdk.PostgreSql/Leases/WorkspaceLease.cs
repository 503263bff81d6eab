using Versana.Sdk.Ledger;

namespace Versana.Sdk.PostgreSql.Leases;

/// <summary>
/// This process's lease on one workspace and the reservations served from it. Every member is guarded by
/// locking the instance; the ledger round trips (refill, return) run one at a time through <see cref="Busy"/>.
/// </summary>
internal sealed class WorkspaceLease(string workspaceId)
{
    public string WorkspaceId { get; } = workspaceId;

    /// <summary>Gets or sets the open lease's id, or <see langword="null"/> when this process holds none.</summary>
    public string? LeaseId { get; set; }

    /// <summary>Gets or sets the credits the ledger holds for the lease, as of the last grant.</summary>
    public long Held { get; set; }

    /// <summary>Gets or sets the credits charged (durably) since the last grant and not yet settled by one.</summary>
    public long Charged { get; set; }

    /// <summary>Gets or sets the credits held by open lease-served reservations.</summary>
    public long Holding { get; set; }

    public long Free => Held - Charged - Holding;

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset PeriodStart { get; set; }

    public DateTimeOffset PeriodEnd { get; set; }

    public LeasePolicy? Policy { get; set; }

    /// <summary>Gets or sets how many settings or plan changes went through this process.</summary>
    public long PolicyVersion { get; set; }

    /// <summary>Gets or sets the <see cref="PolicyVersion"/> as it was when the grant <see cref="Policy"/> came with was asked for.</summary>
    public long AppliedPolicyVersion { get; set; }

    public CreditBalance? Balance { get; set; }

    /// <summary>
    /// Gets how many times a lease round trip started, a grant was taken in or the lease forgotten: a balance the
    /// shared ledger returned while it stayed the same, with no round trip under way, counts this lease's held credits.
    /// </summary>
    public long Generation { get; private set; }

    /// <summary>Gets or sets when a refill last found the pool without credits to spare: until then, go to the ledger directly.</summary>
    public DateTimeOffset DryUntil { get; set; }

    public DateTimeOffset LastActivity { get; set; }

    /// <summary>Gets or sets a value indicating whether charges were made since the last settlement.</summary>
    public bool Unsettled { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the lease is being given back: nothing more is served from it, since
    /// a charge written after the return could no longer land.
    /// </summary>
    public bool Returning { get; set; }

    /// <summary>Gets or sets a value indicating whether the lease's free credits are being given back: nothing is served meanwhile.</summary>
    public bool Reducing { get; set; }

    /// <summary>Gets or sets the refill or return under way.</summary>
    public Task? Busy { get; set; }

    /// <summary>Gets the reservations served from the lease (open and recently completed), by id.</summary>
    public Dictionary<string, LeasedReservation> Reservations { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets the ids of reservations this process asked the shared ledger for, until the shared ledger's answer to a
    /// retry no longer matters here: a retry with the same key goes there too, never served anew from the lease.
    /// </summary>
    public Dictionary<string, DateTimeOffset> DecidedCentrally { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the open ones.</summary>
    public Dictionary<string, LeasedReservation> Open { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the completed ones in completion order, for forgetting them after the retention.</summary>
    public Queue<LeasedReservation> Completed { get; } = new();

    /// <summary>Gets the earliest expiry among the open reservations, or later: before it, none is due.</summary>
    public DateTimeOffset NextExpiry { get; private set; } = DateTimeOffset.MaxValue;

    /// <summary>Adds a reservation served from the lease.</summary>
    public void Hold(LeasedReservation reservation)
    {
        Reservations[reservation.Id] = reservation;
        Open[reservation.Id] = reservation;
        Holding += reservation.Credits;
        if (reservation.ExpiresAt < NextExpiry)
        {
            NextExpiry = reservation.ExpiresAt;
        }
    }

    /// <summary>
    /// Completes the open reservations past their TTL (not those whose commit is being written), as the ledger
    /// releases its own the moment anything looks: their credits are free again.
    /// </summary>
    public void ExpireDue(DateTimeOffset now)
    {
        if (now < NextExpiry)
        {
            return;
        }

        var next = DateTimeOffset.MaxValue;
        foreach (var reservation in Open.Values.ToList())
        {
            if (reservation.Committing is null && reservation.ExpiresAt <= now)
            {
                Complete(reservation, ReservationStatus.Expired, now);
            }
            else if (reservation.ExpiresAt < next)
            {
                next = reservation.ExpiresAt;
            }
        }

        NextExpiry = next;
    }

    /// <summary>Marks an open reservation completed and gives its hold back to the lease's free credits.</summary>
    public void Complete(LeasedReservation reservation, ReservationStatus status, DateTimeOffset now)
    {
        reservation.Status = status;
        reservation.CompletedAt = now;
        Open.Remove(reservation.Id);
        Completed.Enqueue(reservation);
        if (string.Equals(reservation.LeaseId, LeaseId, StringComparison.Ordinal))
        {
            Holding -= reservation.Credits;
        }
    }

    /// <summary>
    /// Drops a reservation served for a key the ledger already had a completed reservation for: its hold goes back
    /// to the free credits, and the key is answered by the shared ledger until <paramref name="until"/>.
    /// </summary>
    public void Disown(LeasedReservation reservation, DateTimeOffset until)
    {
        if (Open.Remove(reservation.Id) && string.Equals(reservation.LeaseId, LeaseId, StringComparison.Ordinal))
        {
            Holding -= reservation.Credits;
        }

        Reservations.Remove(reservation.Id);
        DecidedCentrally[reservation.Id] = until;
    }

    /// <summary>Forgets the lease (returned, or found expired): its open reservations lost their credits with it.</summary>
    public void Forget(DateTimeOffset now)
    {
        foreach (var reservation in Open.Values.Where(r => r.Committing is null).ToList())
        {
            Complete(reservation, ReservationStatus.Expired, now);
        }

        LeaseId = null;
        Held = Charged = Holding = 0;
        Generation++;
        Unsettled = false;
        Returning = false;
    }

    /// <summary>Marks a lease round trip started, or its grant taken in.</summary>
    public void Changed() => Generation++;

    /// <summary>This process's view of the pool: the ledger's last balance, with the lease's free credits counted as available.</summary>
    public CreditBalance View(DateTimeOffset now) => View(Balance!, now);

    /// <summary>
    /// This process's view of a balance the shared ledger returned while <see cref="Generation"/> stayed the same:
    /// the lease's free credits counted as available, unless the lease has ended there (its TTL or its period).
    /// </summary>
    public CreditBalance View(CreditBalance balance, DateTimeOffset now)
    {
        ExpireDue(now);
        var free = LeaseId is null || now >= ExpiresAt || now >= PeriodEnd ? 0 : Math.Max(Free, 0);
        if (free == 0)
        {
            return balance with { AsOf = now };
        }

        var available = balance.Available + free;
        var held = Math.Max(balance.Held - free, 0);

        // Not paused only if the free credits pay for the cheapest feature; if they do not, the shared ledger's
        // balance (fewer credits still) is paused too, with the reason and the end to show.
        return available >= (Policy?.CheapestCost ?? 1)
            ? balance with { Available = available, Held = held, Paused = false, PauseReason = null, ResumesAt = null, AsOf = now }
            : balance with { Available = available, Held = held, AsOf = now };
    }
}
