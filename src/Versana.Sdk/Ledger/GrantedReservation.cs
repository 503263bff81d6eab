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
    private readonly CreditReservation? _record;
    private readonly Reservation? _held;
    private readonly ReservationStatus _status;
    private readonly long? _committedCredits;

    public GrantedReservation(CreditReservation record)
    {
        _record = record;
        _status = record.Status;
    }

    /// <summary>Keeps <paramref name="held"/>; called in the store's critical section, where its state is the reply's.</summary>
    public GrantedReservation(Reservation held)
    {
        _held = held;
        _status = held.Status;
        _committedCredits = held.CommittedCredits;
    }

    public string Id => _record?.Id ?? _held!.Id;

    public long Credits => _record?.Credits ?? _held!.Credits;

    public ReservationStatus Status => _status;

    public CreditReservation ToRecord(string workspaceId) => _record ?? _held!.ToPublic(workspaceId, _status, _committedCredits);
}
