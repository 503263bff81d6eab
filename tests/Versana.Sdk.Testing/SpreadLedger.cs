namespace Versana.Sdk.Testing;

/// <summary>
/// Sends each call to one of several ledgers over the same store, chosen by a seeded random: what many processes or
/// server replicas sharing one database look like to a workspace, one call at a time.
/// </summary>
/// <param name="random">Chooses the ledger of each call.</param>
/// <param name="ledgers">Ledgers over one store.</param>
public sealed class SpreadLedger(Random random, params ICreditLedger[] ledgers) : ICreditLedger
{
    private ICreditLedger Next => ledgers[random.Next(ledgers.Length)];

    /// <inheritdoc/>
    public ValueTask<CreditBalance> CreateWorkspaceAsync(WorkspaceSettings settings, CancellationToken cancellationToken = default) => Next.CreateWorkspaceAsync(settings, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<CreditBalance> UpdateSettingsAsync(string workspaceId, WorkspaceSettingsUpdate update, CancellationToken cancellationToken = default) => Next.UpdateSettingsAsync(workspaceId, update, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PlanChangeResult> ChangePlanAsync(string workspaceId, string plan, CancellationToken cancellationToken = default) => Next.ChangePlanAsync(workspaceId, plan, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<CreditReservationResult> ReserveAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken = default) => Next.ReserveAsync(workspaceId, request, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<CommitResult> CommitAsync(string workspaceId, string reservationId, long? actualCredits = null, long? tokens = null, CancellationToken cancellationToken = default)
        => Next.CommitAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ReleaseResult> ReleaseAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default) => Next.ReleaseAsync(workspaceId, reservationId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<BoostPackPurchase> PurchaseBoostPackAsync(string workspaceId, BoostPackRequest request, CancellationToken cancellationToken = default) => Next.PurchaseBoostPackAsync(workspaceId, request, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<CreditBalance> GetBalanceAsync(string workspaceId, CancellationToken cancellationToken = default) => Next.GetBalanceAsync(workspaceId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<CreditReservation?> GetReservationAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default) => Next.GetReservationAsync(workspaceId, reservationId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<UsageReport> GetUsageAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) => Next.GetUsageAsync(workspaceId, from, to, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence = 0, int limit = 100, CancellationToken cancellationToken = default) => Next.GetEntriesAsync(workspaceId, afterSequence, limit, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<LedgerVerification> VerifyAsync(string workspaceId, CancellationToken cancellationToken = default) => Next.VerifyAsync(workspaceId, cancellationToken);
}
