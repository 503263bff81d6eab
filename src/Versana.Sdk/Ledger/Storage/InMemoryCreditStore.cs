using System.Collections.Concurrent;
using Versana.Sdk.Rules;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// Keeps every workspace in memory behind its own lock: its state, its entries and its reservations. Nothing survives
/// the process: for tests, samples and single-process development.
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
        ObjectDisposedException.ThrowIf(_disposed, this);

        // A workspace is added only once it exists, so requests for unknown ids never grow the store.
        var workspace = _workspaces.TryGetValue(workspaceId, out var found) ? found : new Workspace();
        lock (workspace)
        {
            var result = operation(workspace, state);
            if (workspace.Account is not null && found is null && !_workspaces.TryAdd(workspaceId, workspace))
            {
                // Created concurrently by another caller: theirs was first, so decide again on it.
                return ExecuteAsync(workspaceId, state, operation, cancellationToken);
            }

            return new ValueTask<TResult>(result);
        }
    }

    public ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence, int limit, CancellationToken cancellationToken)
        => Read(workspaceId, w => w.Entries.Skip((int)Math.Min(afterSequence, int.MaxValue)).Take(limit).ToList());

    public ValueTask<IReadOnlyList<DailyUsageRow>> GetDailyUsageAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
        => Read(workspaceId, w => w.Usage.Values.Where(d => d.Date >= from && d.Date <= to).ToList());

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _workspaces.Clear();
        return ValueTask.CompletedTask;
    }

    private ValueTask<IReadOnlyList<T>> Read<T>(string workspaceId, Func<Workspace, List<T>> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_workspaces.TryGetValue(workspaceId, out var workspace))
        {
            return new([]);
        }

        lock (workspace)
        {
            return new(read(workspace));
        }
    }

    private sealed class Workspace : ILedgerSession
    {
        private readonly Dictionary<string, ReservationState> _reservations = new(StringComparer.Ordinal);

        // The open reservations by expiry, so finding the ones due is a look at the first, not a scan of all.
        private readonly SortedSet<(DateTimeOffset ExpiresAt, string Id)> _openByExpiry = new(Comparer<(DateTimeOffset ExpiresAt, string Id)>.Create(
            static (a, b) => a.ExpiresAt != b.ExpiresAt ? a.ExpiresAt.CompareTo(b.ExpiresAt) : string.CompareOrdinal(a.Id, b.Id)));

        public AccountState? Account { get; private set; }

        /// <summary>Gets the entries in sequence order: sequence n is at index n - 1.</summary>
        public List<LedgerEntry> Entries { get; } = [];

        /// <summary>Gets the daily usage rollup by local day and feature.</summary>
        public Dictionary<(DateOnly, AiFeature), DailyUsageRow> Usage { get; } = [];

        public ReservationState? FindReservation(string reservationId) => _reservations.GetValueOrDefault(reservationId);

        public IReadOnlyList<ReservationState> FindExpired(DateTimeOffset now)
            => _openByExpiry.Count == 0 || _openByExpiry.Min.ExpiresAt > now
                ? []
                : [.. _openByExpiry.TakeWhile(r => r.ExpiresAt <= now).Select(r => _reservations[r.Id])];

        public void Save(AccountState account, IReadOnlyList<LedgerEntry> entries)
        {
            foreach (var entry in entries)
            {
                if (UsageRollup.RowOf(account, entry) is { } day)
                {
                    Usage[(day.Date, day.Feature)] = Usage.TryGetValue((day.Date, day.Feature), out var sum) ? sum.Plus(day) : day;
                }

                if (!CreditRules.ConcernsReservation(entry))
                {
                    continue;
                }

                var before = _reservations.GetValueOrDefault(entry.ReservationId!);
                var after = CreditRules.ApplyToReservation(before, entry)!;
                _reservations[after.Id] = after;
                if (before is { Status: ReservationStatus.Held })
                {
                    _openByExpiry.Remove((before.ExpiresAt, before.Id));
                }

                if (after.Status == ReservationStatus.Held)
                {
                    _openByExpiry.Add((after.ExpiresAt, after.Id));
                }
            }

            Entries.AddRange(entries);
            Account = account;
        }

        public IReadOnlyList<LedgerEntry> ReadAllEntries() => [.. Entries];

        public IReadOnlyList<ReservationState> ReadOpenReservations() => [.. _openByExpiry.Select(r => _reservations[r.Id])];
    }
}
