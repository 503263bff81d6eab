namespace Versana.Sdk.Tests.Guard;

/// <summary>
/// Passes every call to a real ledger and counts them, to prove which paths skip the ledger. The guard asks it
/// through <see cref="ICreditLedger"/>, as it asks a remote ledger; <see cref="CountingReplyLedger"/> answers as the
/// in-process ledger does.
/// </summary>
internal class CountingLedger(ICreditLedger inner) : ICreditLedger
{
    private int _reserves;
    private int _commits;
    private int _releases;
    private int _balances;

    public int Reserves => Volatile.Read(ref _reserves);

    public int Commits => Volatile.Read(ref _commits);

    public int Releases => Volatile.Read(ref _releases);

    public int Balances => Volatile.Read(ref _balances);

    public ICreditLedger Inner => inner;

    protected void CountReserve() => Interlocked.Increment(ref _reserves);

    protected void CountCommit() => Interlocked.Increment(ref _commits);

    public ValueTask<CreditBalance> CreateWorkspaceAsync(WorkspaceSettings settings, CancellationToken cancellationToken = default) => inner.CreateWorkspaceAsync(settings, cancellationToken);

    public ValueTask<CreditBalance> UpdateSettingsAsync(string workspaceId, WorkspaceSettingsUpdate update, CancellationToken cancellationToken = default) => inner.UpdateSettingsAsync(workspaceId, update, cancellationToken);

    public ValueTask<PlanChangeResult> ChangePlanAsync(string workspaceId, string plan, CancellationToken cancellationToken = default) => inner.ChangePlanAsync(workspaceId, plan, cancellationToken);

    /// <summary>Gets or sets what a reserve's reply waits for after the ledger decided (a reply late on the wire).</summary>
    /// <remarks>Given whether the reservation was granted.</remarks>
    public Func<bool, Task>? HoldReserveReply { get; set; }

    public ValueTask<CreditReservationResult> ReserveAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reserves);
        return DeliverReserve(inner.ReserveAsync(workspaceId, request, cancellationToken), static r => r.IsGranted);
    }

    /// <summary>Hands a reserve's reply over, after <see cref="HoldReserveReply"/> lets it go when one is set.</summary>
    protected ValueTask<T> DeliverReserve<T>(ValueTask<T> pending, Func<T, bool> granted)
    {
        return HoldReserveReply is { } hold ? HeldAsync(pending, hold, granted) : pending;

        static async ValueTask<T> HeldAsync(ValueTask<T> pending, Func<bool, Task> hold, Func<T, bool> granted)
        {
            var reply = await pending;
            await hold(granted(reply));
            return reply;
        }
    }

    public ValueTask<CommitResult> CommitAsync(string workspaceId, string reservationId, long? actualCredits = null, long? tokens = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);
        return inner.CommitAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken);
    }

    public ValueTask<ReleaseResult> ReleaseAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _releases);
        return inner.ReleaseAsync(workspaceId, reservationId, cancellationToken);
    }

    public ValueTask<BoostPackPurchase> PurchaseBoostPackAsync(string workspaceId, BoostPackRequest request, CancellationToken cancellationToken = default) => inner.PurchaseBoostPackAsync(workspaceId, request, cancellationToken);

    public ValueTask<CreditBalance> GetBalanceAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _balances);
        return inner.GetBalanceAsync(workspaceId, cancellationToken);
    }

    public ValueTask<CreditReservation?> GetReservationAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default) => inner.GetReservationAsync(workspaceId, reservationId, cancellationToken);

    public ValueTask<UsageReport> GetUsageAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) => inner.GetUsageAsync(workspaceId, from, to, cancellationToken);

    public ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence = 0, int limit = 100, CancellationToken cancellationToken = default) => inner.GetEntriesAsync(workspaceId, afterSequence, limit, cancellationToken);

    public ValueTask<LedgerVerification> VerifyAsync(string workspaceId, CancellationToken cancellationToken = default) => inner.VerifyAsync(workspaceId, cancellationToken);
}
