using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk;

/// <summary>
/// A granted reservation as the credit guard holds it: the ledger's reply record, or (from an in-process ledger) the
/// ledger's own reservation with its state as the reply left it, made into a record only when someone reads it.
/// </summary>
/// <remarks>
/// A guarded action reads its reservation's id and credits; the record (~130 B) was built for every call and
/// rarely read. The ledger's reservation is read here only for what never changes after it is made (id, key,
/// feature, credits, times, actor); its state, which a commit changes later, is copied at the reply.
/// </remarks>
internal readonly struct GrantedReservation
{
    // The reply's record or the ledger's reservation: one field for either, and the committed amount without a
    // nullable's padding, so the struct is 24 bytes in every guarded call's context (40 before).
    private readonly object _source;
    private readonly long _committedCredits;
    private readonly ReservationStatus _status;
    private readonly bool _committed;

    public GrantedReservation(CreditReservation record)
    {
        _source = record;
        _status = record.Status;
    }

    /// <summary>Keeps <paramref name="held"/>; called in the store's critical section, where its state is the reply's.</summary>
    public GrantedReservation(Reservation held)
    {
        _source = held;
        _status = held.Status;
        if (held.CommittedCredits is { } committed)
        {
            _committedCredits = committed;
            _committed = true;
        }
    }

    public string Id => _source is CreditReservation record ? record.Id : ((Reservation)_source).Id;

    public long Credits => _source is CreditReservation record ? record.Credits : ((Reservation)_source).Credits;

    public ReservationStatus Status => _status;

    public CreditReservation ToRecord(string workspaceId)
        => _source as CreditReservation ?? ((Reservation)_source).ToPublic(workspaceId, _status, _committed ? _committedCredits : null);
}
