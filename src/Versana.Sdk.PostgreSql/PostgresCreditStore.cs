using System.Text.Json;
using Npgsql;
using Versana.Sdk.Ledger.Storage;
using Versana.Sdk.Rules;

namespace Versana.Sdk.PostgreSql;

/// <summary>
/// The PostgreSQL store. One writer loop per process takes the queued decisions and applies them in one
/// transaction (group commit); each workspace it touches is locked with <c>SELECT ... FOR UPDATE</c> first, so
/// decisions on one workspace are serialised across every process sharing the database. Callers are answered
/// only after the transaction commits.
/// </summary>
internal sealed partial class PostgresCreditStore : ICreditStore
{
    private const int MaxAttempts = 4;

    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkspaceSession> _locked = new(StringComparer.Ordinal);
    private readonly List<LedgerEntry> _pendingEntries = [];
    private readonly Dictionary<(string Workspace, string Id), ReservationState> _pendingReservations = [];
    private readonly List<(string WorkspaceId, DailyUsageRow Row)> _pendingUsage = [];

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreWriteQueue _queue;
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;

    private PostgresCreditStore(NpgsqlDataSource dataSource, string schema, int maxBatchSize)
    {
        _dataSource = dataSource;
        _schema = PostgresSchema.Quote(schema);
        _queue = new StoreWriteQueue(maxBatchSize);
        _queue.Start(WriteBatch);
    }

    /// <summary>Gets the connection pool.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Gets the quoted schema name.</summary>
    internal string QuotedSchema => _schema;

    internal static CreditLedgerException Unavailable(Exception ex) => new(
        CreditLedgerError.LedgerUnavailable,
        "The PostgreSQL ledger could not be reached or written, so nothing in this request was saved. Retry with the same idempotency key.",
        ex);

    public static PostgresCreditStore Open(PostgresLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);

        var dataSource = NpgsqlDataSource.Create(WithAutoPrepare(options.ConnectionString));
        try
        {
            PostgresSchema.Migrate(dataSource, options.Schema);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }

        return new PostgresCreditStore(dataSource, options.Schema, options.MaxBatchSize);
    }

    /// <summary>
    /// Turns on Npgsql's automatic preparation unless the connection string says otherwise: the store sends the
    /// same few statements thousands of times a second, and PostgreSQL parsed and planned each one every time
    /// (<c>base_yyparse</c> in its profile). A pooler in transaction mode that cannot keep prepared statements
    /// needs <c>Max Auto Prepare=0</c> in the connection string.
    /// </summary>
    internal static string WithAutoPrepare(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare"))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 32, AutoPrepareMinUsages = 2 }.ConnectionString;
    }

    public ValueTask<TResult> ExecuteAsync<TState, TResult>(
        string workspaceId,
        TState state,
        Func<ILedgerSession, TState, TResult> operation,
        CancellationToken cancellationToken)
        => _queue.EnqueueAsync(this, workspaceId, null, state, operation, static ex => ex is NpgsqlException, cancellationToken);

    public ValueTask<TResult> ExecuteAsync<TState, TResult>(
        string workspaceId,
        string reservationId,
        TState state,
        Func<ILedgerSession, TState, TResult> operation,
        CancellationToken cancellationToken)
        => _queue.EnqueueAsync(this, workspaceId, reservationId, state, operation, static ex => ex is NpgsqlException, cancellationToken);

    public ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence, int limit, CancellationToken cancellationToken)
        => QueryAsync(
            $"SELECT data FROM {_schema}.entries WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3;",
            () => [new() { Value = workspaceId }, new() { Value = afterSequence }, new() { Value = limit }],
            static reader => DeserializeEntry(reader.GetString(0)),
            cancellationToken);

    public ValueTask<IReadOnlyList<DailyUsageRow>> GetDailyUsageAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
        => QueryAsync(
            $"SELECT day, feature, credits, calls, tokens FROM {_schema}.usage_daily WHERE workspace_id = $1 AND day BETWEEN $2 AND $3;",
            () => [new() { Value = workspaceId }, new() { Value = from }, new() { Value = to }],
            static reader => new DailyUsageRow(reader.GetFieldValue<DateOnly>(0), new AiFeature(reader.GetString(1)), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)),
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _queue.CompleteAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<NpgsqlParameter[]> parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var command = _dataSource.CreateCommand(sql);
                await using (command.ConfigureAwait(false))
                {
                    command.Parameters.AddRange(parameters());
                    var rows = new List<T>();
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            rows.Add(read(reader));
                        }
                    }

                    return rows;
                }
            }
            catch (Exception ex) when (attempt == 1 && IsConnectionLost(ex))
            {
                _dataSource.Clear();
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                throw Unavailable(ex);
            }
        }
    }

    /// <summary>Whether the connection (not the statement) failed: a network error, or the server shutting down or restarting.</summary>
    internal static bool IsConnectionLost(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException => true,
        _ => false,
    };

    private static ReservationState DeserializeReservation(string json)
        => JsonSerializer.Deserialize(json, StorageJsonContext.Default.ReservationState) ?? throw new InvalidDataException("A reservation row is empty.");

    private static LedgerEntry DeserializeEntry(string json)
        => JsonSerializer.Deserialize(json, StorageJsonContext.Default.LedgerEntry) ?? throw new InvalidDataException("A ledger entry row is empty.");

    private void WriteBatch()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                RunBatch();
                break;
            }
            catch (Exception ex)
            {
                Abandon();
                if (attempt < MaxAttempts && ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected })
                {
                    // Another process created the same workspace first (or a lock cycle was broken): decide again on fresh state.
                    continue;
                }

                if (attempt == 1 && IsConnectionLost(ex))
                {
                    // The pooled connection died with a server restart: drop the pool's dead ones and try once more.
                    // Safe even if the failure hid a commit: every decision is idempotent by its key or id.
                    _dataSource.Clear();
                    continue;
                }

                var failure = Unavailable(ex);
                foreach (var item in _queue.Batch)
                {
                    item.Fail(failure);
                }

                return;
            }
        }

        foreach (var item in _queue.Batch)
        {
            item.Publish();
        }
    }

    private void RunBatch()
    {
        _connection = _dataSource.OpenConnection();
        _transaction = _connection.BeginTransaction();
        foreach (var item in _queue.Batch)
        {
            item.Run(Lock(item.WorkspaceId));
        }

        using var batch = new NpgsqlBatch(_connection, _transaction);
        // One statement per table, the rows as arrays: the workspace rows stay locked until they are written.
        if (_pendingEntries.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                $"INSERT INTO {_schema}.entries (workspace_id, seq, at_ticks, kind, data) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::integer[], $5::text[]);",
                _pendingEntries.Select(e => e.WorkspaceId).ToArray(),
                _pendingEntries.Select(e => e.Sequence).ToArray(),
                _pendingEntries.Select(e => e.At.UtcTicks).ToArray(),
                _pendingEntries.Select(e => (int)e.Kind).ToArray(),
                _pendingEntries.Select(e => JsonSerializer.Serialize(e, StorageJsonContext.Default.LedgerEntry)).ToArray()));
        }

        if (_pendingReservations.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                $"INSERT INTO {_schema}.reservations (workspace_id, id, status, expires_ticks, data) SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::text[]) ON CONFLICT (workspace_id, id) DO UPDATE SET status = excluded.status, data = excluded.data;",
                _pendingReservations.Keys.Select(k => k.Workspace).ToArray(),
                _pendingReservations.Keys.Select(k => k.Id).ToArray(),
                _pendingReservations.Values.Select(r => (int)r.Status).ToArray(),
                _pendingReservations.Values.Select(r => r.ExpiresAt.UtcTicks).ToArray(),
                _pendingReservations.Values.Select(r => JsonSerializer.Serialize(r, StorageJsonContext.Default.ReservationState)).ToArray()));
        }

        if (_pendingUsage.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                PostgresSchema.UpsertUsageSql(_schema),
                PostgresSchema.UsageArrays(UsageRollup.Collapse(_pendingUsage))));
        }

        foreach (var session in _locked.Values)
        {
            if (session is { Dirty: true, Account: { } account })
            {
                var state = JsonSerializer.Serialize(account, StorageJsonContext.Default.AccountState);
                batch.BatchCommands.Add(session.Exists
                    ? Command($"UPDATE {_schema}.workspaces SET last_seq = $2, state = $3 WHERE id = $1;", account.Id, account.LastSequence, state)
                    : Command($"INSERT INTO {_schema}.workspaces (id, last_seq, state) VALUES ($1, $2, $3);", account.Id, account.LastSequence, state));
            }
        }

        if (batch.BatchCommands.Count > 0)
        {
            batch.ExecuteNonQuery();
        }

        _transaction.Commit();

        // Committed: what this batch decided is now the known state of each workspace it touched.
        foreach (var (id, session) in _locked)
        {
            if (session.Account is { } account)
            {
                _accounts[id] = account;
            }
        }

        Reset();
    }

    /// <summary>Locks the workspace's row for the rest of the transaction and returns its current state.</summary>
    private WorkspaceSession Lock(string workspaceId)
    {
        if (_locked.TryGetValue(workspaceId, out var locked))
        {
            return locked;
        }

        var known = _accounts.GetValueOrDefault(workspaceId);
        using var command = new NpgsqlCommand(
            $"SELECT last_seq, CASE WHEN last_seq = $2 THEN NULL ELSE state END FROM {_schema}.workspaces WHERE id = $1 FOR UPDATE;",
            _connection,
            _transaction);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = known?.LastSequence ?? -1L });
        WorkspaceSession session;
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                session = new WorkspaceSession(this, null, exists: false);
            }
            else if (reader.IsDBNull(1))
            {
                // Nobody else wrote it since this process did: the cached account is current.
                session = new WorkspaceSession(this, known, exists: true);
            }
            else
            {
                session = new WorkspaceSession(this, JsonSerializer.Deserialize(reader.GetString(1), StorageJsonContext.Default.AccountState), exists: true);
            }
        }

        _locked[workspaceId] = session;
        Prefetch(session, workspaceId);
        return session;
    }

    /// <summary>
    /// Fetches, in one query, the reservations the batch's decisions on this workspace will look up
    /// (a reserve checks its key, a commit or release finds its reservation): not one round trip each while the row is locked.
    /// </summary>
    private void Prefetch(WorkspaceSession session, string workspaceId)
    {
        List<string>? ids = null;
        foreach (var item in _queue.Batch)
        {
            if (item.ReservationId is { } id && string.Equals(item.WorkspaceId, workspaceId, StringComparison.Ordinal))
            {
                (ids ??= []).Add(id);
            }
        }

        if (ids is null || session.Account is null)
        {
            return;
        }

        using var command = new NpgsqlCommand($"SELECT id, data FROM {_schema}.reservations WHERE workspace_id = $1 AND id = ANY($2);", _connection, _transaction);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = ids.ToArray() });
        using var reader = command.ExecuteReader();
        var found = new Dictionary<string, ReservationState?>(StringComparer.Ordinal);
        while (reader.Read())
        {
            found[reader.GetString(0)] = DeserializeReservation(reader.GetString(1));
        }

        foreach (var id in ids)
        {
            // A miss is an answer too: there is no such reservation yet (it may be made later in this batch).
            session.Prefetched[id] = found.GetValueOrDefault(id);
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    /// <summary>Rolls back and forgets every in-memory effect of the batch (accounts were mutated in place).</summary>
    private void Abandon()
    {
        try
        {
            _transaction?.Rollback();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection broke with the failure; there is nothing left to undo.
        }

        _accounts.Clear();
        Reset();
    }

    private void Reset()
    {
        _locked.Clear();
        _pendingEntries.Clear();
        _pendingReservations.Clear();
        _pendingUsage.Clear();
        _transaction?.Dispose();
        _transaction = null;
        _connection?.Dispose();
        _connection = null;
    }
}
