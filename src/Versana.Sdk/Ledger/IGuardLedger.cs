namespace Versana.Sdk;

/// <summary>
/// A ledger that answers the credit guard's reserve and commit without reply records: the same decisions as
/// <see cref="ICreditLedger.ReserveAsync"/> and <see cref="ICreditLedger.CommitAsync"/>, as values.
/// The in-process <see cref="CreditLedger"/> is one; the guard asks any other ledger through <see cref="ICreditLedger"/>.
/// </summary>
internal interface IGuardLedger
{
    /// <summary>Reserves as <see cref="ICreditLedger.ReserveAsync"/> does.</summary>
    ValueTask<ReservationReply> ReserveReplyAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken);

    /// <summary>Commits as <see cref="ICreditLedger.CommitAsync"/> does.</summary>
    ValueTask<CommitReply> CommitReplyAsync(string workspaceId, string reservationId, long? actualCredits, long? tokens, CancellationToken cancellationToken);
}
