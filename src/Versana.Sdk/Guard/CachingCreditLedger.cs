namespace Versana.Sdk;

/// <summary>
/// The ledger as the SDK's services see it: every reply refreshes the balance cache, and a boost pack,
/// plan or settings change through this process ends remembered refusals at once.
/// </summary>
internal sealed class CachingCreditLedger(ICreditLedger inner, BalanceCache cache) : ICreditLedger, IGuardLedger
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

    // The guard's reserve and commit: the inner ledger's replies where it has them (the in-process ledger), its
    // records otherwise; the cache sees the same balance either way.
    ValueTask<ReservationReply> IGuardLedger.ReserveReplyAsync(string workspaceId, ReservationRequestValue request, CancellationToken cancellationToken)
    {
        var pending = IGuardLedger.ReserveAsync(inner, workspaceId, request, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(ObserveReply(pending.Result, request.Credits)) : AwaitReply(pending, request.Credits);

        async ValueTask<ReservationReply> AwaitReply(ValueTask<ReservationReply> pending, long? credits)
            => ObserveReply(await pending.ConfigureAwait(false), credits);
    }

    ValueTask<CommitReply> IGuardLedger.CommitReplyAsync(string workspaceId, string reservationId, long? actualCredits, long? tokens, CancellationToken cancellationToken)
    {
        var pending = IGuardLedger.CommitAsync(inner, workspaceId, reservationId, actualCredits, tokens, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(ObserveReply(pending.Result)) : AwaitReply(pending);

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
        ObserveDecision(result.Denial, BalanceSnapshot.Of(result.Balance), credits);
        return result;
    }

    private ReservationReply ObserveReply(in ReservationReply reply, long? credits)
    {
        ObserveDecision(reply.Denial, reply.Balance, credits);
        return reply;
    }

    private CommitReply ObserveReply(in CommitReply reply)
    {
        cache.Observe(reply.Balance);
        return reply;
    }

    private void ObserveDecision(CreditDenial? denial, BalanceSnapshot balance, long? credits)
    {
        if (denial is not null)
        {
            cache.ObserveDenial(denial, balance, credits);
        }
        else
        {
            cache.Observe(balance);
        }
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
