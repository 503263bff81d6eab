using Versana.Sdk.PostgreSql.Leases;

namespace Versana.Sdk.PostgreSql;

/// <content>
/// The balances a leased process gives: the shared ledger's, with this process's own lease's free credits counted as
/// available, since they are this process's to spend.
/// </content>
public sealed partial class LeasedCreditLedger
{
    private static readonly Func<CreditBalance, CreditBalance> s_balance = static b => b;

    private static readonly Func<CreditBalance, CreditBalance, CreditBalance> s_withBalance = static (_, b) => b;

    /// <inheritdoc/>
    /// <remarks>
    /// The shared ledger's balance as this process can spend it: its own lease's free credits count as available,
    /// other processes' leases as held; charges not yet settled are not used yet.
    /// </remarks>
    public async ValueTask<CreditBalance> GetBalanceAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (generation, busy) = GenerationOf(workspaceId);
            if (busy is not null && attempt < 3)
            {
                // A lease round trip is under way: what the ledger answers now may count the lease as it will be
                // after it, and this process's lease as it was before. Read once it is done.
                await WaitQuietlyAsync(busy, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var balance = await _ledger.GetBalanceAsync(workspaceId, cancellationToken).ConfigureAwait(false);
            if (ViewOf(workspaceId, generation, balance) is { } view)
            {
                return view;
            }

            if (attempt >= 3)
            {
                // A lease round trip overlapped every read; the shared figure undercounts, never overcounts.
                return balance;
            }
        }
    }

    private static async Task WaitQuietlyAsync(Task busy, CancellationToken cancellationToken)
    {
        try
        {
            await busy.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CreditLedgerException)
        {
            // The round trip failed; its caller has the error. The read goes ahead.
        }
    }

    /// <summary>Makes a call on the shared ledger and gives its reply this process's view of the balance (see <see cref="ViewOf"/>).</summary>
    private async ValueTask<TResult> ThroughSharedAsync<TState, TResult>(
        string workspaceId,
        TState state,
        Func<CreditLedger, TState, CancellationToken, ValueTask<TResult>> call,
        Func<TResult, CreditBalance> balanceOf,
        Func<TResult, CreditBalance, TResult> withBalance,
        CancellationToken cancellationToken)
    {
        var (generation, busy) = GenerationOf(workspaceId);
        var result = await call(_ledger, state, cancellationToken).ConfigureAwait(false);
        if (busy is null && ViewOf(workspaceId, generation, balanceOf(result)) is { } view)
        {
            return withBalance(result, view);
        }

        // A lease round trip (a settlement in the background, say) overlapped the call: the reply's balance may
        // count the lease otherwise than this process does. A fresh read, which includes this call's effect, goes
        // with the reply instead.
        return withBalance(result, await GetBalanceAsync(workspaceId, cancellationToken).ConfigureAwait(false));
    }

    private (long Generation, Task? Busy) GenerationOf(string workspaceId)
    {
        if (!_workspaces.TryGetValue(workspaceId, out var lease))
        {
            return (0, null);
        }

        lock (lease)
        {
            return (lease.Generation, lease.Busy);
        }
    }

    /// <summary>
    /// This process's view of a balance the shared ledger returned, asked for at lease generation
    /// <paramref name="generation"/> with no lease round trip under way; <see langword="null"/> if one started since
    /// (the balance may count the lease otherwise than this process does, and adding its free credits could count
    /// some twice).
    /// </summary>
    private CreditBalance? ViewOf(string workspaceId, long generation, CreditBalance balance)
    {
        if (!_workspaces.TryGetValue(workspaceId, out var lease))
        {
            return balance;
        }

        lock (lease)
        {
            if (lease.Generation != generation || lease.Busy is not null)
            {
                return null;
            }

            if (lease.Balance is null || lease.Balance.AsOf <= balance.AsOf)
            {
                // Fresher than the last grant's: lease-served replies start from it.
                lease.Balance = balance;
            }

            return lease.View(balance, _timeProvider.GetUtcNow());
        }
    }
}
