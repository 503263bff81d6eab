using Microsoft.Data.Sqlite;

namespace Versana.Sdk.Sqlite;

/// <summary>Creates and migrates the ledger schema; the version is kept in <c>PRAGMA user_version</c>.</summary>
internal static class SqliteSchema
{
    /// <summary>Each step migrates from version <c>index</c> to <c>index + 1</c>.</summary>
    private static readonly string[] s_migrations =
    [
        """
        CREATE TABLE versana_workspaces (
            id TEXT NOT NULL PRIMARY KEY,
            last_seq INTEGER NOT NULL,
            state TEXT NOT NULL
        ) STRICT;

        CREATE TABLE versana_entries (
            workspace_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            at_ticks INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (workspace_id, seq)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX versana_entries_kind_at ON versana_entries (workspace_id, kind, at_ticks);

        CREATE TABLE versana_reservations (
            workspace_id TEXT NOT NULL,
            id TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            feature TEXT NOT NULL,
            credits INTEGER NOT NULL,
            parts TEXT NOT NULL,
            period_start_ticks INTEGER NOT NULL,
            created_ticks INTEGER NOT NULL,
            expires_ticks INTEGER NOT NULL,
            actor TEXT,
            status INTEGER NOT NULL,
            committed INTEGER,
            completed_ticks INTEGER,
            PRIMARY KEY (workspace_id, id)
        ) STRICT, WITHOUT ROWID;

        CREATE UNIQUE INDEX versana_reservations_key ON versana_reservations (workspace_id, idempotency_key);
        CREATE INDEX versana_reservations_open ON versana_reservations (workspace_id, status);
        """,
    ];

    public static int CurrentVersion => s_migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Convert.ToInt32(Execute(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The ledger database has schema version {version}, newer than this library's {CurrentVersion}. Upgrade Versana.Sdk.Sqlite.");
        }

        for (var step = version; step < CurrentVersion; step++)
        {
            Execute(connection, transaction, s_migrations[step]);
        }

        if (version != CurrentVersion)
        {
            Execute(connection, transaction, $"PRAGMA user_version = {CurrentVersion};");
        }

        transaction.Commit();
    }

    private static object? Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
