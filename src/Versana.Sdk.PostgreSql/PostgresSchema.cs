using Npgsql;

namespace Versana.Sdk.PostgreSql;

/// <summary>Creates and migrates the ledger's tables in their schema; the version is kept in <c>schema_version</c>.</summary>
internal static class PostgresSchema
{
    /// <summary>Each step migrates from version <c>index</c> to <c>index + 1</c>.</summary>
    private static readonly string[] s_migrations =
    [
        """
        -- One row per workspace: counters, settings and boost packs (JSON, constant in size). Every decision on a
        -- workspace locks this row (SELECT ... FOR UPDATE), which is what makes decisions atomic across processes.
        -- Ids are ASCII and only compared for equality and a stable order: they compare as bytes (COLLATE "C").
        CREATE TABLE workspaces (
            id text COLLATE "C" PRIMARY KEY,
            last_seq bigint NOT NULL,
            state text NOT NULL
        );

        -- The audit trail: append-only, in sequence order per workspace.
        CREATE TABLE entries (
            workspace_id text COLLATE "C" NOT NULL,
            seq bigint NOT NULL,
            at_ticks bigint NOT NULL,
            kind integer NOT NULL,
            data text NOT NULL,
            PRIMARY KEY (workspace_id, seq)
        );

        -- Every reservation, open and completed; the id derives from the idempotency key.
        CREATE TABLE reservations (
            workspace_id text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            status integer NOT NULL,
            expires_ticks bigint NOT NULL,
            data text NOT NULL,
            PRIMARY KEY (workspace_id, id)
        );

        -- The held reservations by expiry: finding the ones past their TTL reads only those.
        CREATE INDEX reservations_held ON reservations (workspace_id, expires_ticks) WHERE status = 1;
        """,
        """
        -- The commits by time (kind 4 is Committed): usage reads the commits of the days it reports, not the whole trail.
        CREATE INDEX entries_commits ON entries (workspace_id, at_ticks) WHERE kind = 4;
        """,
    ];

    public static int CurrentVersion => s_migrations.Length;

    public static void Migrate(NpgsqlDataSource dataSource, string schema)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();

        // Several processes may start at once: one migrates, the others wait and then find it done.
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock(hashtext('versana-schema:{schema}'));");
        Execute(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {Quote(schema)}; CREATE TABLE IF NOT EXISTS {Quote(schema)}.schema_version (version integer NOT NULL);");
        var version = Convert.ToInt32(Execute(connection, transaction, $"SELECT coalesce(max(version), 0) FROM {Quote(schema)}.schema_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The ledger schema '{schema}' has version {version}, newer than this library's {CurrentVersion}. Upgrade Versana.Sdk.PostgreSql.");
        }

        for (var step = version; step < CurrentVersion; step++)
        {
            Execute(connection, transaction, $"SET LOCAL search_path TO {Quote(schema)}; {s_migrations[step]}");
        }

        if (version != CurrentVersion)
        {
            Execute(connection, transaction, $"DELETE FROM {Quote(schema)}.schema_version; INSERT INTO {Quote(schema)}.schema_version VALUES ({CurrentVersion});");
        }

        transaction.Commit();
    }

    /// <summary>Quotes an identifier; the schema name is configuration, so it is never spliced in raw.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static object? Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        return command.ExecuteScalar();
    }
}
