namespace Versana.Sdk.Tests.Guard;

/// <summary>
/// A <see cref="CountingLedger"/> over the in-process ledger that answers the guard's reserve and commit as that
/// ledger does (<see cref="IGuardLedger"/>): the path every app's guard takes by default.
/// </summary>
internal sealed class CountingReplyLedger(CreditLedger inner) : CountingLedger(inner), IGuardLedger
{
    private readonly IGuardLedger _replies = inner;

    public ValueTask<ReservationReply> ReserveReplyAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken)
    {
        CountReserve();
        return HoldReserveReply is { } hold ? HeldAsync(hold) : _replies.ReserveReplyAsync(workspaceId, request, cancellationToken);

        async ValueTask<ReservationReply> HeldAsync(Func<bool, Task> hold)
        {
            var reply = await _replies.ReserveReplyAsync(workspaceId, request, cancellationToken);
            await hold(reply.IsGranted);
            return reply;
        }
    }

    public ValueTask<CommitReply> CommitReplyAsync(string workspaceId, string reservationId, long? actualCredits, long? tokens, CancellationToken cancellationToken)
    {
        CountCommit();
        return _replies.CommitReplyAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken);
    }
}
