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

    public async ValueTask<CreditReservationResult> ReserveAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken = default)
    {
        var result = await inner.ReserveAsync(workspaceId, request, cancellationToken).ConfigureAwait(false);
        if (result.Denial is { } denial)
        {
            cache.ObserveDenial(denial, result.Balance, request.Credits);
        }
        else
        {
            cache.Observe(result.Balance);
            if (request.Credits is null)
            {
                cache.ObservePrice(workspaceId, request.Feature, result.Reservation!.Credits);
            }
        }

        return result;
    }

    public async ValueTask<CommitResult> CommitAsync(string workspaceId, string reservationId, long? actualCredits = null, long? tokens = null, CancellationToken cancellationToken = default)
    {
        var result = await inner.CommitAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken).ConfigureAwait(false);
        Observe(result.Balance);
        return result;
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

    private CreditBalance Observe(CreditBalance balance)
    {
        cache.Observe(balance);
        return balance;
    }
}
