using System.Collections.Concurrent;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// Keeps every workspace in memory behind its own lock; workspaces never wait for each other.
/// Nothing survives the process: for tests, samples and single-process development.
/// </summary>
internal sealed class InMemoryCreditStore : ICreditStore
{
    private readonly ConcurrentDictionary<string, Workspace> _workspaces = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    public ValueTask<TResult> ExecuteAsync<TState, TResult>(
        string workspaceId,
        TState state,
        Func<ILedgerSession, TState, TResult> operation,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var workspace = _workspaces.GetOrAdd(workspaceId, static id => new Workspace(id));
            lock (workspace)
            {
                if (workspace.Removed)
                {
                    // Another caller dropped this empty placeholder between our lookup and our lock.
                    continue;
                }

                try
                {
                    return new ValueTask<TResult>(operation(workspace, state));
                }
                finally
                {
                    // Requests for unknown workspaces must not grow the store.
                    if (workspace.Account is null)
                    {
                        workspace.Removed = true;
                        _workspaces.TryRemove(new KeyValuePair<string, Workspace>(workspaceId, workspace));
                    }
                }
            }
        }
    }

    public ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_workspaces.TryGetValue(workspaceId, out var workspace))
        {
            return new ValueTask<IReadOnlyList<LedgerEntry>>([]);
        }

        lock (workspace)
        {
            ObjectDisposedException.ThrowIf(workspace.Removed, this);

            // Sequence n is at index n - 1: entries are numbered from 1 without gaps.
            var start = (int)Math.Min(Math.Max(afterSequence, 0), workspace.Journal.Count);
            var count = Math.Min(limit, workspace.Journal.Count - start);
            return new ValueTask<IReadOnlyList<LedgerEntry>>(workspace.Journal.ReadRange(start, count));
        }
    }

    public ValueTask<IReadOnlyList<LedgerEntry>> GetCommitsAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_workspaces.TryGetValue(workspaceId, out var workspace))
        {
            return new ValueTask<IReadOnlyList<LedgerEntry>>([]);
        }

        lock (workspace)
        {
            ObjectDisposedException.ThrowIf(workspace.Removed, this);
            return new ValueTask<IReadOnlyList<LedgerEntry>>(workspace.Journal.ReadCommits(from, to));
        }
    }

    public ValueTask DisposeAsync()
    {
        // The journals' rows are native memory: free them now rather than when the collector finalizes them.
        _disposed = true;
        foreach (var workspace in _workspaces.Values)
        {
            lock (workspace)
            {
                workspace.Removed = true;
                workspace.Journal.Dispose();
            }
        }

        _workspaces.Clear();
        return ValueTask.CompletedTask;
    }

    private sealed class Workspace(string id) : ILedgerSession
    {
        public CompactJournal Journal { get; } = new(id);

        public WorkspaceAccount? Account { get; private set; }

        public string Id { get; } = id;

        public bool Removed { get; set; }

        public Reservation? FindReservation(string reservationId)
            => Account is not null && Account.Open.TryGetValue(reservationId, out var open) ? open : Journal.Find(reservationId);

        public Reservation? FindReservationByKey(string idempotencyKey)
            => Journal.FindByKey(idempotencyKey, Account?.Open);

        public void Append(in LedgerEntryValue entry)
        {
            Account ??= new WorkspaceAccount();
            Journal.Apply(Account, entry);
        }

        public IReadOnlyList<LedgerEntry> ReadAllEntries() => Journal.ReadRange(0, Journal.Count);
    }
}
