namespace Versana.Sdk;

/// <summary>
/// A ledger that answers the credit guard's reserve and commit without reply records: the same decisions as
/// <see cref="ICreditLedger.ReserveAsync"/> and <see cref="ICreditLedger.CommitAsync"/>, as values.
/// The in-process <see cref="CreditLedger"/> is one; any other ledger is asked through <see cref="ICreditLedger"/>
/// (<see cref="ReserveAsync"/>, <see cref="CommitAsync"/>).
/// </summary>
internal interface IGuardLedger
{
    /// <summary>Reserves as <see cref="ICreditLedger.ReserveAsync"/> does.</summary>
    ValueTask<ReservationReply> ReserveReplyAsync(string workspaceId, ReservationRequestValue request, CancellationToken cancellationToken);

    /// <summary>Commits as <see cref="ICreditLedger.CommitAsync"/> does.</summary>
    ValueTask<CommitReply> CommitReplyAsync(string workspaceId, string reservationId, long? actualCredits, long? tokens, CancellationToken cancellationToken);

    /// <summary>Reserves through <paramref name="ledger"/>'s replies where it has them, its records otherwise.</summary>
    static ValueTask<ReservationReply> ReserveAsync(ICreditLedger ledger, string workspaceId, ReservationRequestValue request, CancellationToken cancellationToken)
    {
        if (ledger is IGuardLedger replies)
        {
            return replies.ReserveReplyAsync(workspaceId, request, cancellationToken);
        }

        var pending = ledger.ReserveAsync(workspaceId, request.ToRequest(), cancellationToken);
        return pending.IsCompletedSuccessfully ? new(ReservationReply.From(pending.Result)) : AwaitAsync(pending);

        static async ValueTask<ReservationReply> AwaitAsync(ValueTask<CreditReservationResult> pending)
            => ReservationReply.From(await pending.ConfigureAwait(false));
    }

    /// <summary>Commits through <paramref name="ledger"/>'s replies where it has them, its records otherwise.</summary>
    static ValueTask<CommitReply> CommitAsync(ICreditLedger ledger, string workspaceId, string reservationId, long? actualCredits, long? tokens, CancellationToken cancellationToken)
    {
        if (ledger is IGuardLedger replies)
        {
            return replies.CommitReplyAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken);
        }

        var pending = ledger.CommitAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(CommitReply.From(pending.Result)) : AwaitAsync(pending);

        static async ValueTask<CommitReply> AwaitAsync(ValueTask<CommitResult> pending)
            => CommitReply.From(await pending.ConfigureAwait(false));
    }
}
