using Microsoft.Data.Sqlite;
using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.Sqlite;

/// <summary>Creates and migrates the ledger schema; the version is kept in <c>PRAGMA user_version</c>.</summary>
internal static class SqliteSchema
{
    /// <summary>Each step migrates from version <c>index</c> to <c>index + 1</c>.</summary>
    private static readonly string[] s_migrations =
    [
        """
        -- One row per workspace: its counters, settings and boost packs (JSON, constant in size: open
        -- reservations have rows of their own).
        CREATE TABLE versana_workspaces (
            id TEXT NOT NULL PRIMARY KEY,
            last_seq INTEGER NOT NULL,
            state TEXT NOT NULL
        ) STRICT;

        -- The audit trail: append-only, in sequence order per workspace.
        CREATE TABLE versana_entries (
            workspace_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            at_ticks INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (workspace_id, seq)
        ) STRICT, WITHOUT ROWID;

        -- Every reservation, open and completed: a decision writes its own row only. The id derives from the
        -- idempotency key, so this one key serves lookups by id and by key.
        CREATE TABLE versana_reservations (
            workspace_id TEXT NOT NULL,
            id TEXT NOT NULL,
            status INTEGER NOT NULL,
            expires_ticks INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (workspace_id, id)
        ) STRICT, WITHOUT ROWID;

        -- The held reservations by expiry: finding the ones past their TTL reads only those.
        CREATE INDEX versana_reservations_held ON versana_reservations (workspace_id, expires_ticks) WHERE status = 1;
        """,
        """
        -- The daily usage rollup: each commit adds its credits, a call and its tokens to its local day (the workspace's
        -- time zone, 'yyyy-MM-dd') and feature, in the commit's own transaction. Usage reports read a row per day and
        -- feature, not the commits. Filled from the existing commits when a version 1 file is migrated.
        CREATE TABLE versana_usage_daily (
            workspace_id TEXT NOT NULL,
            day TEXT NOT NULL,
            feature TEXT NOT NULL,
            credits INTEGER NOT NULL,
            calls INTEGER NOT NULL,
            tokens INTEGER NOT NULL,
            PRIMARY KEY (workspace_id, day, feature)
        ) STRICT, WITHOUT ROWID;
        """,
    ];

    /// <summary>The upsert that adds a rollup row to the day and feature it names.</summary>
    public const string UpsertUsageSql = """
        INSERT INTO versana_usage_daily (workspace_id, day, feature, credits, calls, tokens) VALUES ($w, $day, $feature, $credits, $calls, $tokens)
        ON CONFLICT (workspace_id, day, feature) DO UPDATE SET credits = credits + excluded.credits, calls = calls + excluded.calls, tokens = tokens + excluded.tokens;
        """;

    /// <summary>The day format of the rollup: ISO dates sort and compare as text.</summary>
    public const string DayFormat = "yyyy-MM-dd";

    public static int CurrentVersion => s_migrations.Length;

    /// <summary>
    /// Refuses an existing file that is not a readable Versana ledger: not SQLite, another application's database, or
    /// damaged (<c>PRAGMA quick_check</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is not a readable Versana ledger; the message says what to do.</exception>
    public static void CheckExisting(SqliteConnection connection, string path)
    {
        long version;
        long tables;
        try
        {
            version = Convert.ToInt64(Execute(connection, null, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
            // Versana's own tables (the credits service keeps its API keys in the ledger's file) do not make it foreign.
            tables = Convert.ToInt64(Execute(connection, null, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'versana\\_%' ESCAPE '\\';"), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 or 11)
        {
            // SQLITE_NOTADB, SQLITE_CORRUPT.
            throw new InvalidOperationException($"'{path}' is not a readable SQLite database ({ex.Message}), so it is not a Versana ledger. Check the path, or restore the ledger from a backup.", ex);
        }

        if (version == 0 && tables > 0)
        {
            throw new InvalidOperationException($"'{path}' is a SQLite database of another application, not a Versana ledger. Check the path; a new ledger needs a file of its own.");
        }

        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check;";
        var problems = new List<string>();
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read() && problems.Count < 5)
            {
                problems.Add(reader.GetString(0));
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
        {
            problems.Add(ex.Message);
        }

        if (problems is not ["ok"])
        {
            throw new InvalidOperationException(
                $"The Versana ledger '{path}' is damaged ({string.Join("; ", problems)}). Restore it from a backup; opening it could lose or misreport credits.");
        }
    }

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
            if (step == 1)
            {
                FillUsageRollup(connection, transaction);
            }
        }

        if (version != CurrentVersion)
        {
            Execute(connection, transaction, $"PRAGMA user_version = {CurrentVersion};");
        }

        transaction.Commit();
    }

    /// <summary>Adds the commits already in the trail to the rollup (a file of schema version 1 has none there yet).</summary>
    private static void FillUsageRollup(SqliteConnection connection, SqliteTransaction transaction)
    {
        var rows = UsageRollup.FromTrail(
            ReadPairs(connection, transaction, "SELECT id, state FROM versana_workspaces;"),
            ReadPairs(connection, transaction, "SELECT workspace_id, data FROM versana_entries WHERE kind = 4;"));
        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = UpsertUsageSql;
        foreach (var (workspaceId, row) in rows)
        {
            upsert.Parameters.Clear();
            AddUsageParameters(upsert, workspaceId, row);
            upsert.ExecuteNonQuery();
        }
    }

    private static List<(string, string)> ReadPairs(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = sql;
        using var reader = read.ExecuteReader();
        var pairs = new List<(string, string)>();
        while (reader.Read())
        {
            pairs.Add((reader.GetString(0), reader.GetString(1)));
        }

        return pairs;
    }

    /// <summary>Sets the parameters of <see cref="UpsertUsageSql"/>.</summary>
    public static void AddUsageParameters(SqliteCommand command, string workspaceId, DailyUsageRow row)
    {
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$day", row.Date.ToString(DayFormat, System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$feature", row.Feature.Name);
        command.Parameters.AddWithValue("$credits", row.Credits);
        command.Parameters.AddWithValue("$calls", row.Calls);
        command.Parameters.AddWithValue("$tokens", row.Tokens);
    }

    private static object? Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
