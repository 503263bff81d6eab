namespace Versana.Sdk.Tests.Guard;

/// <summary>
/// A <see cref="CountingLedger"/> over the in-process ledger that answers the guard's reserve and commit as that
/// ledger does (<see cref="IGuardLedger"/>): the path every app's guard takes by default.
/// </summary>
internal sealed class CountingReplyLedger(CreditLedger inner) : CountingLedger(inner), IGuardLedger
{
    private readonly IGuardLedger _replies = inner;

    public ValueTask<ReservationReply> ReserveReplyAsync(string workspaceId, ReservationRequestValue request, CancellationToken cancellationToken)
    {
        CountReserve();
        return DeliverReserve(_replies.ReserveReplyAsync(workspaceId, request, cancellationToken), static r => r.IsGranted);
    }

    public ValueTask<CommitReply> CommitReplyAsync(string workspaceId, string reservationId, long? actualCredits, long? tokens, CancellationToken cancellationToken)
    {
        CountCommit();
        return _replies.CommitReplyAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken);
    }
}
