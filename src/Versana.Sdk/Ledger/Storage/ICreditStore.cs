namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// Persistence for the ledger. A store runs each decision against a workspace's current state with no other
/// decision on that workspace in between, and makes the decision's entries durable before the call returns.
/// </summary>
/// <remarks>
/// Internal on purpose: the first-party stores ship in lockstep with the engine, and the conformance suite is
/// the contract a public seam would be held to.
/// </remarks>
internal interface ICreditStore : IAsyncDisposable
{
    /// <summary>
    /// Runs <paramref name="operation"/> in the workspace's critical section and persists what it appended.
    /// Every appended entry is a whole decision on its own (the engine validates a request before it appends),
    /// so entries appended before a throw (expiries, a refresh) are kept.
    /// </summary>
    ValueTask<TResult> ExecuteAsync<TState, TResult>(
        string workspaceId,
        TState state,
        Func<ILedgerSession, TState, TResult> operation,
        CancellationToken cancellationToken);

    /// <summary>
    /// Runs a decision about one reservation: <paramref name="reservationId"/> tells a store that batches decisions
    /// which reservations the batch will look up, so it can fetch them together.
    /// </summary>
    ValueTask<TResult> ExecuteAsync<TState, TResult>(
        string workspaceId,
        string reservationId,
        TState state,
        Func<ILedgerSession, TState, TResult> operation,
        CancellationToken cancellationToken)
        => ExecuteAsync(workspaceId, state, operation, cancellationToken);

    /// <summary>Reads entries after <paramref name="afterSequence"/>, in order.</summary>
    ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Reads the daily usage rollup (<see cref="UsageRollup"/>) of the local days <paramref name="from"/> to <paramref name="to"/>, inclusive.</summary>
    ValueTask<IReadOnlyList<DailyUsageRow>> GetDailyUsageAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken);
}
