using Microsoft.Data.Sqlite;

namespace Versana.Sdk.Sqlite;

/// <content>The writer's prepared statements, reused for every batch.</content>
internal sealed partial class SqliteCreditStore
{
    private sealed class Commands(SqliteConnection connection) : IDisposable
    {
        private const string ReservationColumns = "id, idempotency_key, feature, credits, parts, period_start_ticks, created_ticks, expires_ticks, actor, status, committed, completed_ticks";

        private readonly List<SqliteCommand> _all = [];

        public LastSequenceQuery SelectLastSequence => field ??= new LastSequenceQuery(Create("SELECT last_seq FROM versana_workspaces WHERE id = $w;", "$w"));

        public SqliteCommand SelectState => field ??= Create("SELECT state FROM versana_workspaces WHERE id = $w;", "$w");

        public SqliteCommand UpsertWorkspace => field ??= Create(
            "INSERT INTO versana_workspaces (id, last_seq, state) VALUES ($w, $seq, $state) ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq, state = excluded.state;",
            "$w",
            "$seq",
            "$state");

        public SqliteCommand InsertEntry => field ??= Create(
            "INSERT INTO versana_entries (workspace_id, seq, at_ticks, kind, data) VALUES ($w, $seq, $at, $kind, $data);",
            "$w",
            "$seq",
            "$at",
            "$kind",
            "$data");

        public SqliteCommand SelectAllEntries => field ??= Create("SELECT data FROM versana_entries WHERE workspace_id = $w ORDER BY seq;", "$w");

        public SqliteCommand InsertReservation => field ??= Create(
            "INSERT INTO versana_reservations (workspace_id, id, idempotency_key, feature, credits, parts, period_start_ticks, created_ticks, expires_ticks, actor, status) " +
            "VALUES ($w, $id, $key, $feature, $credits, $parts, $period, $created, $expires, $actor, 1);",
            "$w",
            "$id",
            "$key",
            "$feature",
            "$credits",
            "$parts",
            "$period",
            "$created",
            "$expires",
            "$actor");

        public SqliteCommand CompleteReservation => field ??= Create(
            "UPDATE versana_reservations SET status = $status, committed = $committed, completed_ticks = $completed WHERE workspace_id = $w AND id = $id AND status = 1;",
            "$w",
            "$id",
            "$status",
            "$committed",
            "$completed");

        public SqliteCommand SelectReservation => field ??= Create($"SELECT {ReservationColumns} FROM versana_reservations WHERE workspace_id = $w AND id = $id;", "$w", "$id");

        public SqliteCommand SelectReservationIdByKey => field ??= Create("SELECT id FROM versana_reservations WHERE workspace_id = $w AND idempotency_key = $key;", "$w", "$key");

        public SqliteCommand SelectOpenReservations => field ??= Create($"SELECT {ReservationColumns} FROM versana_reservations WHERE workspace_id = $w AND status = 1;", "$w");

        public void Enlist(SqliteTransaction transaction)
        {
            foreach (var command in _all)
            {
                command.Transaction = transaction;
            }

            CurrentTransaction = transaction;
        }

        public SqliteTransaction? CurrentTransaction { get; private set; }

        public void Dispose()
        {
            foreach (var command in _all)
            {
                command.Dispose();
            }
        }

        private SqliteCommand Create(string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = CurrentTransaction;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _all.Add(command);
            return command;
        }
    }

    private sealed class LastSequenceQuery(SqliteCommand command)
    {
        public long? Run(string workspaceId)
        {
            command.Parameters["$w"].Value = workspaceId;
            return command.ExecuteScalar() is long sequence ? sequence : null;
        }
    }
}
