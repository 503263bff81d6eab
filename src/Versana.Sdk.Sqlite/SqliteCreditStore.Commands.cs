using Microsoft.Data.Sqlite;

namespace Versana.Sdk.Sqlite;

/// <content>The writer's prepared statements, reused for every batch.</content>
internal sealed partial class SqliteCreditStore
{
    private sealed class Commands(SqliteConnection connection) : IDisposable
    {
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

        public SqliteCommand UpsertUsage => field ??= Create(SqliteSchema.UpsertUsageSql);

        public SqliteCommand SelectAllEntries => field ??= Create("SELECT data FROM versana_entries WHERE workspace_id = $w ORDER BY seq;", "$w");

        public SqliteCommand UpsertReservation => field ??= Create(
            "INSERT INTO versana_reservations (workspace_id, id, status, expires_ticks, data) VALUES ($w, $id, $status, $expires, $data) ON CONFLICT (workspace_id, id) DO UPDATE SET status = excluded.status, data = excluded.data;",
            "$w",
            "$id",
            "$status",
            "$expires",
            "$data");

        public SqliteCommand SelectReservation => field ??= Create("SELECT data FROM versana_reservations WHERE workspace_id = $w AND id = $id;", "$w", "$id");

        public SqliteCommand SelectExpired => field ??= Create(
            "SELECT data FROM versana_reservations WHERE workspace_id = $w AND status = 1 AND expires_ticks <= $now ORDER BY expires_ticks, id;",
            "$w",
            "$now");

        public SqliteCommand SelectOpen => field ??= Create("SELECT data FROM versana_reservations WHERE workspace_id = $w AND status = 1 ORDER BY id;", "$w");

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
