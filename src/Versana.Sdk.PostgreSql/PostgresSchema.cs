using Npgsql;

namespace Versana.Sdk.PostgreSql;

/// <summary>Creates and migrates the ledger's tables in their schema; the version is kept in <c>schema_version</c>.</summary>
internal static class PostgresSchema
{
    /// <summary>Each step migrates from version <c>index</c> to <c>index + 1</c>.</summary>
    private static readonly string[] s_migrations =
    [
        """
        -- One row per workspace: counters, boost packs and open reservations (JSON). Every decision on a
        -- workspace locks this row (SELECT ... FOR UPDATE), which is what makes decisions atomic across processes.
        CREATE TABLE workspaces (
            id text PRIMARY KEY,
            last_seq bigint NOT NULL,
            state text NOT NULL
        );

        -- The audit trail: append-only, in sequence order per workspace.
        CREATE TABLE entries (
            workspace_id text NOT NULL,
            seq bigint NOT NULL,
            at_ticks bigint NOT NULL,
            kind integer NOT NULL,
            data text NOT NULL,
            PRIMARY KEY (workspace_id, seq)
        );

        -- Completed reservations, for idempotent retries; the id derives from the idempotency key.
        CREATE TABLE reservations (
            workspace_id text NOT NULL,
            id text NOT NULL,
            data text NOT NULL,
            PRIMARY KEY (workspace_id, id)
        );
        """,
        """
        -- Lease mode. An open lease has a row here; a process writes a charge only while the row exists (it
        -- locks it FOR KEY SHARE), and closing a lease deletes the row first, so no charge lands after it closed.
        CREATE TABLE leases (
            id text PRIMARY KEY,
            workspace_id text NOT NULL
        );

        -- Charges a process made from its lease, durable before the commit is acknowledged. Settling marks them
        -- (and writes their commit entries) in the workspace's locked transaction; a settled row stays until its
        -- reservation could no longer be committed, so a retried commit never lands twice.
        CREATE TABLE lease_charges (
            lease_id text NOT NULL,
            reservation_id text NOT NULL,
            settled boolean NOT NULL DEFAULT false,
            expires_ticks bigint NOT NULL,
            data text NOT NULL,
            PRIMARY KEY (lease_id, reservation_id)
        );
        """,
        """
        -- Ids are ASCII and only ever compared for equality and a stable order: compare them as bytes. Under the
        -- database's collation (C.UTF-8, en_US.UTF-8, ...) every index probe called the locale's comparison.
        ALTER TABLE workspaces ALTER COLUMN id TYPE text COLLATE "C";
        ALTER TABLE entries ALTER COLUMN workspace_id TYPE text COLLATE "C";
        ALTER TABLE reservations ALTER COLUMN workspace_id TYPE text COLLATE "C", ALTER COLUMN id TYPE text COLLATE "C";
        ALTER TABLE leases ALTER COLUMN id TYPE text COLLATE "C", ALTER COLUMN workspace_id TYPE text COLLATE "C";
        ALTER TABLE lease_charges ALTER COLUMN lease_id TYPE text COLLATE "C", ALTER COLUMN reservation_id TYPE text COLLATE "C";
        """,
        """
        -- The lease a completed reservation was charged from (null: the shared ledger decided it). Written with the
        -- charge, it proves the charge landed, so settling deletes a charge instead of keeping it marked settled
        -- for as long as a retried commit could come (lease_charges.settled is only read for rows kept before).
        ALTER TABLE reservations ADD COLUMN IF NOT EXISTS lease_id text COLLATE "C";
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
