using System.Text.Json;
using Npgsql;
using Versana.Sdk.Ledger.Storage;
using Versana.Sdk.Rules;

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
        -- The daily usage rollup: each commit adds its credits, a call and its tokens to its local day (the workspace's
        -- time zone) and feature, in the commit's own transaction. Usage reports read a row per day and feature, not
        -- the commits. Filled from the existing commits when a version 1 schema is migrated.
        CREATE TABLE usage_daily (
            workspace_id text COLLATE "C" NOT NULL,
            day date NOT NULL,
            feature text NOT NULL,
            credits bigint NOT NULL,
            calls bigint NOT NULL,
            tokens bigint NOT NULL,
            PRIMARY KEY (workspace_id, day, feature)
        );
        """,
    ];

    /// <summary>The statement that adds rows (given as arrays, one key each) to the rollup of <paramref name="quotedSchema"/>.</summary>
    public static string UpsertUsageSql(string quotedSchema) => $"""
        INSERT INTO {quotedSchema}.usage_daily AS u (workspace_id, day, feature, credits, calls, tokens)
        SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
        ON CONFLICT (workspace_id, day, feature) DO UPDATE SET credits = u.credits + excluded.credits, calls = u.calls + excluded.calls, tokens = u.tokens + excluded.tokens;
        """;

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
            if (step == 1)
            {
                FillUsageRollup(connection, transaction, Quote(schema));
            }
        }

        if (version != CurrentVersion)
        {
            Execute(connection, transaction, $"DELETE FROM {Quote(schema)}.schema_version; INSERT INTO {Quote(schema)}.schema_version VALUES ({CurrentVersion});");
        }

        transaction.Commit();
    }

    /// <summary>The parameters of <see cref="UpsertUsageSql(string)"/> for rows with one key each (<see cref="UsageRollup.Collapse"/>).</summary>
    public static object[] UsageArrays(IReadOnlyList<(string WorkspaceId, DailyUsageRow Row)> rows) =>
    [
        rows.Select(r => r.WorkspaceId).ToArray(),
        rows.Select(r => r.Row.Date).ToArray(),
        rows.Select(r => r.Row.Feature.Name).ToArray(),
        rows.Select(r => r.Row.Credits).ToArray(),
        rows.Select(r => r.Row.Calls).ToArray(),
        rows.Select(r => r.Row.Tokens).ToArray(),
    ];

    /// <summary>Adds the commits already in the trail to the rollup (a schema of version 1 has none there yet).</summary>
    private static void FillUsageRollup(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema)
    {
        var rows = UsageRollup.FromTrail(
            ReadPairs(connection, transaction, $"SELECT id, state FROM {schema}.workspaces;"),
            ReadPairs(connection, transaction, $"SELECT workspace_id, data FROM {schema}.entries WHERE kind = 4;"));
        if (rows.Count == 0)
        {
            return;
        }

        using var upsert = new NpgsqlCommand(UpsertUsageSql(schema), connection, transaction);
        foreach (var values in UsageArrays(rows))
        {
            upsert.Parameters.Add(new NpgsqlParameter { Value = values });
        }

        upsert.ExecuteNonQuery();
    }

    private static List<(string, string)> ReadPairs(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var read = new NpgsqlCommand(sql, connection, transaction);
        using var reader = read.ExecuteReader();
        var pairs = new List<(string, string)>();
        while (reader.Read())
        {
            pairs.Add((reader.GetString(0), reader.GetString(1)));
        }

        return pairs;
    }

    /// <summary>Quotes an identifier; the schema name is configuration, so it is never spliced in raw.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static object? Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        return command.ExecuteScalar();
    }
}
