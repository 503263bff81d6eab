namespace Versana.Sdk;

/// <summary>
/// The workspace credit ledger: holds, charges and gives back credits from each workspace's shared pool.
/// </summary>
/// <remarks>
/// <para>
/// Implementations: <see cref="CreditLedger"/> (the rules engine over a store, in process) and the remote client
/// of the credits service. Every mutating call is idempotent: a retry returns the first outcome and never
/// charges twice. A request that is refused with an exception leaves the ledger exactly as it was.
/// </para>
/// <para>Bad arguments throw <see cref="ArgumentException"/>; requests that do not fit the ledger's state throw <see cref="CreditLedgerException"/>.</para>
/// </remarks>
public interface ICreditLedger
{
    /// <summary>Creates a workspace; creating it again with the same settings returns its balance.</summary>
    /// <param name="settings">The workspace settings.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The new workspace's balance.</returns>
    ValueTask<CreditBalance> CreateWorkspaceAsync(WorkspaceSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Changes automation or costs of a workspace.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="update">The change.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The balance after the change.</returns>
    ValueTask<CreditBalance> UpdateSettingsAsync(string workspaceId, WorkspaceSettingsUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Changes the plan: an upgrade applies at once, a downgrade at the next refresh.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="plan">The new plan name.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>What changed and when.</returns>
    ValueTask<PlanChangeResult> ChangePlanAsync(string workspaceId, string plan, CancellationToken cancellationToken = default);

    /// <summary>Holds credits for an AI action, or refuses it with a reason.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The reservation, or the denial; a denial changes nothing.</returns>
    ValueTask<CreditReservationResult> ReserveAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Charges a reservation after the action succeeded; the part not charged goes back to the pool.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="reservationId">The reservation id (its idempotency key: a retried commit returns the first outcome).</param>
    /// <param name="actualCredits">The actual cost, at most the credits held; <see langword="null"/> charges all of them.</param>
    /// <param name="tokens">The tokens the AI backend reported, recorded on the usage entry; <see langword="null"/> when unknown.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>What was charged.</returns>
    ValueTask<CommitResult> CommitAsync(string workspaceId, string reservationId, long? actualCredits = null, long? tokens = null, CancellationToken cancellationToken = default);

    /// <summary>Gives a reservation's credits back after the action failed or was cancelled.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="reservationId">The reservation id (a retried release returns the first outcome).</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>What was given back.</returns>
    ValueTask<ReleaseResult> ReleaseAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default);

    /// <summary>Buys a boost pack: its credits are available at once and lift a pause.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="request">The pack size and the purchase's idempotency key.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The purchase.</returns>
    ValueTask<BoostPackPurchase> PurchaseBoostPackAsync(string workspaceId, BoostPackRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads the workspace's balance now.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The balance.</returns>
    ValueTask<CreditBalance> GetBalanceAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>Reads a reservation.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="reservationId">The reservation id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The reservation, or <see langword="null"/> when the workspace has none with this id.</returns>
    ValueTask<CreditReservation?> GetReservationAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default);

    /// <summary>Reports the credits charged by feature and by local day.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="from">The first local day.</param>
    /// <param name="to">The last local day (inclusive).</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The usage report.</returns>
    ValueTask<UsageReport> GetUsageAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>Reads audit entries in order.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="afterSequence">Return entries after this sequence number (0 for the first).</param>
    /// <param name="limit">The most entries to return (1 to 1,000).</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The entries.</returns>
    ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence = 0, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Rebuilds the balance from the audit entries and compares it with the stored one.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The comparison.</returns>
    ValueTask<LedgerVerification> VerifyAsync(string workspaceId, CancellationToken cancellationToken = default);
}
