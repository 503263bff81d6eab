namespace Versana.Sdk;

/// <summary>
/// The ledger as the SDK's services see it: every reply refreshes the balance cache, and a boost pack,
/// plan or settings change through this process ends remembered refusals at once.
/// </summary>
internal sealed class CachingCreditLedger(ICreditLedger inner, BalanceCache cache) : ICreditLedger
{
    public ICreditLedger Inner => inner;

    public async ValueTask<CreditBalance> CreateWorkspaceAsync(WorkspaceSettings settings, CancellationToken cancellationToken = default)
        => Observe(await inner.CreateWorkspaceAsync(settings, cancellationToken).ConfigureAwait(false));

    public async ValueTask<CreditBalance> UpdateSettingsAsync(string workspaceId, WorkspaceSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        var balance = await inner.UpdateSettingsAsync(workspaceId, update, cancellationToken).ConfigureAwait(false);
        cache.ForgetRefusals(workspaceId);
        return Observe(balance);
    }

    public async ValueTask<PlanChangeResult> ChangePlanAsync(string workspaceId, string plan, CancellationToken cancellationToken = default)
    {
        var result = await inner.ChangePlanAsync(workspaceId, plan, cancellationToken).ConfigureAwait(false);
        cache.ForgetRefusals(workspaceId);
        Observe(result.Balance);
        return result;
    }

    // Reserve and commit are every guarded call's two round trips; an in-process ledger answers them synchronously,
    // so they skip the async state machine when the reply is already there.
    public ValueTask<CreditReservationResult> ReserveAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken = default)
    {
        var pending = inner.ReserveAsync(workspaceId, request, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(ObserveReservation(pending.Result, request.Credits)) : AwaitReservation(pending, request.Credits);

        async ValueTask<CreditReservationResult> AwaitReservation(ValueTask<CreditReservationResult> pending, long? credits)
            => ObserveReservation(await pending.ConfigureAwait(false), credits);
    }

    public ValueTask<CommitResult> CommitAsync(string workspaceId, string reservationId, long? actualCredits = null, long? tokens = null, CancellationToken cancellationToken = default)
    {
        var pending = inner.CommitAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(ObserveCommit(pending.Result)) : AwaitCommit(pending);

        async ValueTask<CommitResult> AwaitCommit(ValueTask<CommitResult> pending)
            => ObserveCommit(await pending.ConfigureAwait(false));
    }

    /// <summary>
    /// <see cref="ReserveAsync"/> for the credit guard: an <see cref="IGuardLedger"/> (the in-process ledger) answers
    /// without reply objects; any other ledger answers as usual.
    /// </summary>
    internal ValueTask<ReservationReply> ReserveReplyAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken)
    {
        if (inner is not IGuardLedger ledger)
        {
            var result = ReserveAsync(workspaceId, request, cancellationToken);
            return result.IsCompletedSuccessfully ? new(ReservationReply.From(result.Result)) : FromResult(result);
        }

        var pending = ledger.ReserveReplyAsync(workspaceId, request, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(ObserveReply(pending.Result, request.Credits)) : AwaitReply(pending, request.Credits);

        static async ValueTask<ReservationReply> FromResult(ValueTask<CreditReservationResult> pending)
            => ReservationReply.From(await pending.ConfigureAwait(false));

        async ValueTask<ReservationReply> AwaitReply(ValueTask<ReservationReply> pending, long? credits)
            => ObserveReply(await pending.ConfigureAwait(false), credits);
    }

    /// <summary><see cref="CommitAsync"/> for the credit guard, as <see cref="ReserveReplyAsync"/> is.</summary>
    internal ValueTask<CommitReply> CommitReplyAsync(string workspaceId, string reservationId, long? actualCredits, long? tokens, CancellationToken cancellationToken)
    {
        if (inner is not IGuardLedger ledger)
        {
            var result = CommitAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken);
            return result.IsCompletedSuccessfully ? new(CommitReply.From(result.Result)) : FromResult(result);
        }

        var pending = ledger.CommitReplyAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(ObserveReply(pending.Result)) : AwaitReply(pending);

        static async ValueTask<CommitReply> FromResult(ValueTask<CommitResult> pending)
            => CommitReply.From(await pending.ConfigureAwait(false));

        async ValueTask<CommitReply> AwaitReply(ValueTask<CommitReply> pending)
            => ObserveReply(await pending.ConfigureAwait(false));
    }

    public async ValueTask<ReleaseResult> ReleaseAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default)
    {
        var result = await inner.ReleaseAsync(workspaceId, reservationId, cancellationToken).ConfigureAwait(false);
        Observe(result.Balance);
        return result;
    }

    public async ValueTask<BoostPackPurchase> PurchaseBoostPackAsync(string workspaceId, BoostPackRequest request, CancellationToken cancellationToken = default)
    {
        var result = await inner.PurchaseBoostPackAsync(workspaceId, request, cancellationToken).ConfigureAwait(false);
        cache.ForgetRefusals(workspaceId);
        Observe(result.Balance);
        return result;
    }

    public async ValueTask<CreditBalance> GetBalanceAsync(string workspaceId, CancellationToken cancellationToken = default)
        => Observe(await inner.GetBalanceAsync(workspaceId, cancellationToken).ConfigureAwait(false));

    public ValueTask<CreditReservation?> GetReservationAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default)
        => inner.GetReservationAsync(workspaceId, reservationId, cancellationToken);

    public ValueTask<UsageReport> GetUsageAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
        => inner.GetUsageAsync(workspaceId, from, to, cancellationToken);

    public ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence = 0, int limit = 100, CancellationToken cancellationToken = default)
        => inner.GetEntriesAsync(workspaceId, afterSequence, limit, cancellationToken);

    public ValueTask<LedgerVerification> VerifyAsync(string workspaceId, CancellationToken cancellationToken = default)
        => inner.VerifyAsync(workspaceId, cancellationToken);

    private CreditReservationResult ObserveReservation(CreditReservationResult result, long? credits)
    {
        if (result.Denial is { } denial)
        {
            cache.ObserveDenial(denial, result.Balance, credits);
        }
        else
        {
            Observe(result.Balance);
        }

        return result;
    }

    private ReservationReply ObserveReply(in ReservationReply reply, long? credits)
    {
        if (reply.Denial is { } denial)
        {
            cache.ObserveDenial(denial, reply.Balance, credits);
        }
        else
        {
            cache.Observe(reply.Balance);
        }

        return reply;
    }

    private CommitReply ObserveReply(in CommitReply reply)
    {
        cache.Observe(reply.Balance);
        return reply;
    }

    private CommitResult ObserveCommit(CommitResult result)
    {
        Observe(result.Balance);
        return result;
    }

    private CreditBalance Observe(CreditBalance balance)
    {
        cache.Observe(balance);
        return balance;
    }
}
