using System.Text.Json;
using System.Threading.Channels;
using Npgsql;
using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.PostgreSql.Leases;

/// <summary>
/// Writes lease charges durably, many per transaction (group commit), without touching the workspace row:
/// each charge only needs its lease to be open, which it checks by locking the lease's row FOR KEY SHARE.
/// </summary>
internal sealed class LeaseChargeWriter : IAsyncDisposable
{
    private const int MaxBatchSize = 512;

    private readonly Channel<Item> _channel = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _sql;
    private readonly string _retrySql;
    private readonly Task _loop;

    public LeaseChargeWriter(NpgsqlDataSource dataSource, string quotedSchema)
    {
        _dataSource = dataSource;

        // One statement, so one round trip and its own transaction: lock the batch's open leases FOR KEY SHARE
        // (closing one waits for this to commit, then sees its charges), write the charges of those and their
        // completed reservations, and say which were open. The completed reservation lands with its charge, outside
        // the workspace row's lock, and from then on every process finds it: a retry of the commit, or of the
        // reserve with the same key, anywhere. It names the lease, and that is what proves the charge landed once
        // settlement has deleted it. Plain inserts: ON CONFLICT probes each unique index before inserting, a second
        // descent per row that profiled at ~16 % of PostgreSQL's time in lease mode, for a conflict that only a
        // retry has (then the whole statement fails with a unique violation and the batch goes again as a retry).
        _sql = Statement(quotedSchema, retry: false);
        _retrySql = Statement(quotedSchema, retry: true);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>
    /// The batch statement. It returns a row per open lease of the batch (its id, and null), and as a retry also a
    /// row per charge it did not write because its key was already charged (the workspace and the reservation id).
    /// A retry runs after a unique violation: a batch with a charge already written (its first write landed but the
    /// reply was lost, or its commit failed and was retried), or a key whose reservation the workspace already
    /// completed. A charge whose completed reservation names its own lease landed before, settled or not, and is
    /// skipped; one whose key another lease or the shared ledger committed is skipped too, since writing it would
    /// charge the key twice; one whose key was only released or expired elsewhere is written (that reservation is
    /// kept as it is, and charged nothing).
    /// </summary>
    private static string Statement(string quotedSchema, bool retry)
    {
        var charged = $"""
            SELECT 1 FROM {quotedSchema}.reservations r
            WHERE r.workspace_id = c.workspace_id AND r.id = c.reservation_id
                AND (r.lease_id = c.lease_id OR (r.data::jsonb ->> 'Status')::int = {(int)ReservationStatus.Committed})
            """;
        var notLanded = retry ? $"WHERE NOT EXISTS ({charged})" : "";
        var onConflict = retry ? "ON CONFLICT DO NOTHING" : "";
        var taken = retry
            ? $"""
                UNION ALL
                SELECT c.workspace_id, c.reservation_id FROM charges c
                JOIN {quotedSchema}.reservations r ON r.workspace_id = c.workspace_id AND r.id = c.reservation_id
                WHERE r.lease_id IS DISTINCT FROM c.lease_id AND (r.data::jsonb ->> 'Status')::int = {(int)ReservationStatus.Committed}
              """
            : "";
        return $"""
            WITH open_leases AS (SELECT id FROM {quotedSchema}.leases WHERE id = ANY($5) FOR KEY SHARE),
            charges AS (
                SELECT c.* FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $6::text[], $7::text[])
                    AS c(lease_id, reservation_id, expires_ticks, data, workspace_id, reservation)
                WHERE c.lease_id IN (SELECT id FROM open_leases)),
            written AS (
                INSERT INTO {quotedSchema}.lease_charges (lease_id, reservation_id, expires_ticks, data)
                SELECT lease_id, reservation_id, expires_ticks, data FROM charges c
                {notLanded}
                {onConflict}),
            stored AS (
                INSERT INTO {quotedSchema}.reservations (workspace_id, id, lease_id, data)
                SELECT workspace_id, reservation_id, lease_id, reservation FROM charges
                {onConflict})
            SELECT id, NULL::text FROM open_leases
            {taken};
            """;
    }

    /// <summary>Writes a charge and its completed reservation, unless its lease is closed or its key taken.</summary>
    public Task<LeaseChargeOutcome> WriteAsync(string leaseId, string workspaceId, LeaseCharge charge, ReservationSnapshot completed)
    {
        var item = new Item(leaseId, workspaceId, charge with { ReservationStored = true }, completed);
        ObjectDisposedException.ThrowIf(!_channel.Writer.TryWrite(item), this);
        return item.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task LoopAsync()
    {
        var batch = new List<Item>();
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await Task.Yield();
            batch.Clear();
            while (batch.Count < MaxBatchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                (HashSet<string> Open, HashSet<(string, string)> Taken) outcome;
                try
                {
                    outcome = await WriteBatchAsync(batch, _sql).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    outcome = await WriteBatchAsync(batch, _retrySql).ConfigureAwait(false);
                }
                catch (Exception ex) when (PostgresCreditStore.IsConnectionLost(ex))
                {
                    // A pooled connection died with a server restart: once more on a fresh one, as a retry, since the
                    // first try may have committed.
                    _dataSource.Clear();
                    outcome = await WriteBatchAsync(batch, _retrySql).ConfigureAwait(false);
                }

                foreach (var item in batch)
                {
                    item.Completion.TrySetResult(
                        !outcome.Open.Contains(item.LeaseId) ? LeaseChargeOutcome.LeaseClosed
                        : outcome.Taken.Contains((item.WorkspaceId, item.Charge.ReservationId)) ? LeaseChargeOutcome.KeyTaken
                        : LeaseChargeOutcome.Written);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                var failure = PostgresCreditStore.Unavailable(ex);
                foreach (var item in batch)
                {
                    item.Completion.TrySetException(failure);
                }
            }
        }
    }

    private async Task<(HashSet<string> Open, HashSet<(string, string)> Taken)> WriteBatchAsync(List<Item> batch, string sql)
    {
        var command = _dataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new() { Value = batch.Select(i => i.LeaseId).ToArray() });
            command.Parameters.Add(new() { Value = batch.Select(i => i.Charge.ReservationId).ToArray() });
            command.Parameters.Add(new() { Value = batch.Select(i => i.Charge.ExpiresAt.UtcTicks).ToArray() });
            command.Parameters.Add(new() { Value = batch.Select(i => JsonSerializer.Serialize(i.Charge, StorageJsonContext.Default.LeaseCharge)).ToArray() });
            command.Parameters.Add(new() { Value = batch.Select(i => i.LeaseId).Distinct(StringComparer.Ordinal).ToArray() });
            command.Parameters.Add(new() { Value = batch.Select(i => i.WorkspaceId).ToArray() });
            command.Parameters.Add(new() { Value = batch.Select(i => JsonSerializer.Serialize(i.Completed, StorageJsonContext.Default.ReservationSnapshot)).ToArray() });
            var open = new HashSet<string>(StringComparer.Ordinal);
            var taken = new HashSet<(string, string)>();
            var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    if (reader.IsDBNull(1))
                    {
                        open.Add(reader.GetString(0));
                    }
                    else
                    {
                        taken.Add((reader.GetString(0), reader.GetString(1)));
                    }
                }
            }

            return (open, taken);
        }
    }

    private sealed class Item(string leaseId, string workspaceId, LeaseCharge charge, ReservationSnapshot completed)
    {
        public string LeaseId { get; } = leaseId;

        public string WorkspaceId { get; } = workspaceId;

        public LeaseCharge Charge { get; } = charge;

        public ReservationSnapshot Completed { get; } = completed;

        public TaskCompletionSource<LeaseChargeOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
