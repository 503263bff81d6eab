using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Versana.Sdk.Ledger.Storage;
using Versana.Sdk.Rules;

namespace Versana.Sdk.Sqlite;

/// <summary>
/// The SQLite store. One writer loop takes every queued decision, applies each to its workspace, and writes
/// all of them in one transaction (group commit): callers are answered only after that transaction commits.
/// </summary>
/// <remarks>
/// Several processes may share a file: each batch starts with <c>BEGIN IMMEDIATE</c> (the file's write lock)
/// and re-reads a workspace whose stored sequence moved since this process last wrote it.
/// </remarks>
internal sealed partial class SqliteCreditStore : ICreditStore
{
    private readonly Dictionary<string, WorkspaceSession> _workspaces = new(StringComparer.Ordinal);
    private readonly SqliteConnection _connection;
    private readonly string _readConnectionString;
    private readonly StoreWriteQueue _queue;
    private readonly Task _checkpointer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Commands _commands;
    private SqliteTransaction? _transaction;
    private long _batchNumber;
    private long _itemsWritten;
    private Exception? _storageFailure;
    private readonly SemaphoreSlim _checkpointWanted = new(0, 1);
    private volatile bool _walResetWanted;
    private int _batchesSinceCheckpoint;
    private long _walResets;

    private SqliteCreditStore(SqliteConnection connection, string readConnectionString, string checkpointConnectionString, int maxBatchSize)
    {
        _connection = connection;
        _readConnectionString = readConnectionString;
        _queue = new StoreWriteQueue(maxBatchSize);
        _commands = new Commands(connection);
        _queue.Start(WriteBatch);
        _checkpointer = Task.Run(() => CheckpointLoopAsync(checkpointConnectionString));
    }

    /// <summary>Gets the decisions written per transaction on average (how much group commit saves).</summary>
    internal double AverageBatchSize => _batchNumber == 0 ? 0 : (double)Volatile.Read(ref _itemsWritten) / Volatile.Read(ref _batchNumber);

    /// <summary>Gets how many times the writer finished a checkpoint so that the next transaction starts the WAL over.</summary>
    internal long WalResets => Interlocked.Read(ref _walResets);

    /// <summary>Gets or sets the WAL size, in pages, past which the writer finishes a checkpoint between batches.</summary>
    internal int WalResetPages { get; set; } = 4096;

    /// <summary>Gets or sets how many batches the writer commits before it wakes the checkpointer early.</summary>
    internal int CheckpointEveryBatches { get; set; } = 256;

    /// <summary>The size a WAL that grew (behind a long reader, say) is truncated back to once it starts over.</summary>
    private const long WalSizeLimitBytes = 64L * 1024 * 1024;

    public static SqliteCreditStore Open(SqliteLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);

        var fullPath = System.IO.Path.GetFullPath(options.Path);
        if (System.IO.Path.GetDirectoryName(fullPath) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        // Only an absent file starts a new ledger: an empty or foreign one would silently start with no workspaces.
        var isNew = !File.Exists(fullPath);
        if (!isNew && new FileInfo(fullPath).Length == 0)
        {
            throw new InvalidOperationException(
                $"'{fullPath}' is an empty file, not a Versana ledger: opening it would start with no workspaces and no keys. "
                + "Restore the ledger from a backup, or delete the file to start a new, empty ledger.");
        }

        var timeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = timeout,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            if (!isNew)
            {
                SqliteSchema.CheckExisting(connection, fullPath);
            }

            var synchronous = options.Durability == SqliteDurability.PowerLoss ? "FULL" : "NORMAL";
            Execute(connection, $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA busy_timeout = {timeout * 1000}; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {WalSizeLimitBytes};");
            SqliteSchema.Migrate(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        var read = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = timeout,
        };
        var checkpoint = new SqliteConnectionStringBuilder(builder.ToString()) { Pooling = false };
        return new SqliteCreditStore(connection, read.ToString(), checkpoint.ToString(), options.MaxBatchSize);
    }

    public ValueTask<TResult> ExecuteAsync<TState, TResult>(
        string workspaceId,
        TState state,
        Func<ILedgerSession, TState, TResult> operation,
        CancellationToken cancellationToken)
        => _queue.EnqueueAsync(this, workspaceId, null, state, operation, static ex => ex is SqliteException, cancellationToken);

    public ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence, int limit, CancellationToken cancellationToken)
        => QueryEntriesAsync(
            "SELECT data FROM versana_entries WHERE workspace_id = $w AND seq > $after ORDER BY seq LIMIT $limit;",
            [new("$w", workspaceId), new("$after", afterSequence), new("$limit", limit)],
            cancellationToken);

    public async ValueTask<IReadOnlyList<DailyUsageRow>> GetDailyUsageAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "SELECT day, feature, credits, calls, tokens FROM versana_usage_daily WHERE workspace_id = $w AND day >= $from AND day <= $to;";
                command.Parameters.AddWithValue("$w", workspaceId);
                command.Parameters.AddWithValue("$from", from.ToString(SqliteSchema.DayFormat, CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue("$to", to.ToString(SqliteSchema.DayFormat, CultureInfo.InvariantCulture));
                var days = new List<DailyUsageRow>();
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        days.Add(new DailyUsageRow(
                            DateOnly.ParseExact(reader.GetString(0), SqliteSchema.DayFormat, CultureInfo.InvariantCulture),
                            new AiFeature(reader.GetString(1)),
                            reader.GetInt64(2),
                            reader.GetInt64(3),
                            reader.GetInt64(4)));
                    }
                }

                return days;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _queue.CompleteAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _checkpointer.ConfigureAwait(false);
        _stopping.Dispose();
        _checkpointWanted.Dispose();
        _commands.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Reads entries on a pooled read-only connection: WAL lets readers run beside the writer.</summary>
    private async ValueTask<IReadOnlyList<LedgerEntry>> QueryEntriesAsync(string sql, SqliteParameter[] parameters, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = sql;
                command.Parameters.AddRange(parameters);
                var entries = new List<LedgerEntry>();
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        entries.Add(DeserializeEntry(reader.GetString(0)));
                    }
                }

                return entries;
            }
        }
    }

    private static LedgerEntry DeserializeEntry(string json)
        => JsonSerializer.Deserialize(json, StorageJsonContext.Default.LedgerEntry)
            ?? throw new InvalidDataException("A ledger entry row is empty.");

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Copies the WAL back into the database off the writer's path. SQLite's automatic checkpoint runs
    /// inside a committing transaction and fsyncs there; a passive checkpoint here takes no write lock.
    /// </summary>
    /// <remarks>
    /// A passive checkpoint beside a busy writer never catches up: by the time it has copied what was
    /// committed when it began, more frames follow, and SQLite starts the WAL over only when a write
    /// transaction begins with every frame copied. Left alone the WAL grows for as long as the load lasts
    /// (over a gigabyte in seconds under the load harness), and every frame lands on newly allocated
    /// blocks. So once the WAL is past <see cref="WalResetPages"/>, the writer finishes the copy itself
    /// between two batches (a few frames, since this loop has done the rest), and its next transaction
    /// rewrites the WAL from the start.
    /// </remarks>
    private async Task CheckpointLoopAsync(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        try
        {
            while (true)
            {
                // Woken by the writer every few batches under load; otherwise a tick catches up after a quiet spell.
                await _checkpointWanted.WaitAsync(TimeSpan.FromMilliseconds(200), _stopping.Token).ConfigureAwait(false);
                try
                {
                    using var reader = command.ExecuteReader();
                    if (reader.Read() && reader.GetInt64(1) >= WalResetPages)
                    {
                        _walResetWanted = true;
                    }
                }
                catch (SqliteException)
                {
                    // A busy checkpoint is retried on the next tick; the WAL only grows meanwhile.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposal: the last checkpoint happens when the writer connection closes.
        }
    }

    /// <summary>Finishes the background checkpoint on the writer's connection, between two batches.</summary>
    private void FinishCheckpoint()
    {
        _walResetWanted = false;
        try
        {
            // Its own command: the prepared ones are enlisted in the batches' transactions.
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            using var reader = command.ExecuteReader();

            // Every frame copied (busy = 0, log = checkpointed): the next write transaction starts the WAL over.
            // A reader still on an old snapshot can keep frames uncopied; the next request tries again.
            if (reader.Read() && reader.GetInt64(0) == 0 && reader.GetInt64(1) == reader.GetInt64(2))
            {
                Interlocked.Increment(ref _walResets);
            }
        }
        catch (SqliteException)
        {
            // The checkpoint is housekeeping: a failure leaves the WAL as it was, and nothing is lost.
        }
    }

    private void WriteBatch()
    {
        _batchNumber++;
        _storageFailure = null;
        try
        {
            _transaction = _connection.BeginTransaction(deferred: false);
            _commands.Enlist(_transaction);
            foreach (var item in _queue.Batch)
            {
                var session = GetWorkspace(item.WorkspaceId);
                item.Run(session);
                if (_storageFailure is not null)
                {
                    throw _storageFailure;
                }
            }

            foreach (var session in _workspaces.Values)
            {
                if (session.Dirty)
                {
                    SaveAccount(session.Account!);
                    session.Dirty = false;
                }
            }

            _transaction.Commit();
            _itemsWritten += _queue.Batch.Count;
        }
        catch (Exception ex)
        {
            // Nothing of this batch was written: forget what the decisions did in memory and tell every caller.
            try
            {
                _transaction?.Rollback();
            }
            catch (SqliteException)
            {
                // The transaction may already be gone with the failure; the rollback has nothing left to undo.
            }

            _workspaces.Clear();
            var failure = new CreditLedgerException(
                CreditLedgerError.LedgerUnavailable,
                "The ledger database could not be written, so nothing in this request was saved. Retry with the same idempotency key.",
                ex);
            foreach (var item in _queue.Batch)
            {
                item.Fail(failure);
            }

            return;
        }
        finally
        {
            _transaction?.Dispose();
            _transaction = null;
        }

        foreach (var item in _queue.Batch)
        {
            item.Publish();
        }

        if (_walResetWanted)
        {
            FinishCheckpoint();
        }
        else if (++_batchesSinceCheckpoint >= CheckpointEveryBatches)
        {
            _batchesSinceCheckpoint = 0;
            if (_checkpointWanted.CurrentCount == 0)
            {
                try
                {
                    _checkpointWanted.Release();
                }
                catch (SemaphoreFullException)
                {
                    // The checkpointer was woken between the check and the release: it is on its way.
                }
            }
        }

        // Unknown workspaces must not grow the cache.
        foreach (var (id, session) in _workspaces)
        {
            if (session.Account is null)
            {
                _workspaces.Remove(id);
            }
        }
    }

    private WorkspaceSession GetWorkspace(string workspaceId)
    {
        if (_workspaces.TryGetValue(workspaceId, out var cached) && cached.Batch == _batchNumber)
        {
            return cached;
        }

        var stored = _commands.SelectLastSequence.Run(workspaceId);
        if (cached?.Account is { } account && stored is long sequence && sequence == account.LastSequence)
        {
            cached.Batch = _batchNumber;
            return cached;
        }

        // Another process wrote this workspace (or this process never loaded it): read it afresh.
        var session = new WorkspaceSession(this, stored is null ? null : LoadAccount(workspaceId)) { Batch = _batchNumber };
        _workspaces[workspaceId] = session;
        return session;
    }

    private AccountState LoadAccount(string workspaceId)
    {
        var command = _commands.SelectState;
        command.Parameters["$w"].Value = workspaceId;
        var state = (string)command.ExecuteScalar()!;
        return JsonSerializer.Deserialize(state, StorageJsonContext.Default.AccountState)
            ?? throw new InvalidDataException($"The state row of workspace '{workspaceId}' is empty.");
    }

    private void SaveAccount(AccountState account)
    {
        var command = _commands.UpsertWorkspace;
        command.Parameters["$w"].Value = account.Id;
        command.Parameters["$seq"].Value = account.LastSequence;
        command.Parameters["$state"].Value = JsonSerializer.Serialize(account, StorageJsonContext.Default.AccountState);
        command.ExecuteNonQuery();
    }

    private static ReservationState DeserializeReservation(string json)
        => JsonSerializer.Deserialize(json, StorageJsonContext.Default.ReservationState)
            ?? throw new InvalidDataException("A reservation row is empty.");
}
