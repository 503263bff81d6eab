using System.Diagnostics;
using System.Globalization;
using Versana.Sdk.Sqlite;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// Reserve+commit pairs per second on one workspace of a SQLite ledger from N concurrent callers, with
/// group commit and, side by side in the same run, with one decision per transaction.
/// </summary>
internal static class SqliteLoadHarness
{
    public static async Task RunAsync(string[] args)
    {
        var callers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"SQLite reserve+commit pairs/s, one workspace, {callers} concurrent callers, {seconds:0.#} s per run");

        // The ceiling, as pgbench is PostgreSQL's: what SQLite itself writes per second on this disk with the
        // store's schema and row sizes, decisions grouped as the store groups them, one thread, no ledger in front.
        var (ceilingDecisions, rows) = RunCeiling(TimeSpan.FromSeconds(seconds), decisionsPerTransaction: 7);
        Console.WriteLine(FormattableString.Invariant(
            $"  SQLite itself, store's rows   {"ProcessCrash",-13} {ceilingDecisions / 2,10:N0} pairs/s   ({ceilingDecisions:N0} decisions/s, 7 per transaction, {rows})"));

        foreach (var (name, batch) in new[] { ("group commit (batch <= 256)", 256), ("one decision per transaction", 1) })
        {
            foreach (var durability in new[] { SqliteDurability.ProcessCrash, SqliteDurability.PowerLoss })
            {
                var (pairs, p50, p99) = await RunOnceAsync(callers, TimeSpan.FromSeconds(seconds), batch, durability);
                Console.WriteLine(FormattableString.Invariant($"  {name,-30} {durability,-13} {pairs,10:N0} pairs/s   p50 {p50,7:0.000} ms   p99 {p99,7:0.000} ms"));
            }
        }
    }

    /// <summary>
    /// Transactions of <paramref name="decisionsPerTransaction"/> decisions on one connection: each decision an
    /// audit entry; a commit also a completed-reservation row under its random id, a reserve a look-up of its key;
    /// then the workspace row and <c>COMMIT</c>, as <c>SqliteCreditStore</c> writes them.
    /// </summary>
    private static (double DecisionsPerSecond, string Rows) RunCeiling(TimeSpan duration, int decisionsPerTransaction)
    {
        var folder = Directory.CreateTempSubdirectory("versana-ceiling-");
        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder.FullName, "ceiling.db")};Pooling=False");
            connection.Open();
            // No checkpoint while measuring (the store copies the WAL back on another thread): an upper bound.
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;");
            SqliteSchema.Migrate(connection);

            // Sizes of the rows the store writes for a 1-credit reply suggestion (measured on a load run's file).
            var entry = new string('e', 270);
            var reservation = new string('r', 374);
            var state = new string('s', 317);
            using var insertEntry = Command(connection, "INSERT INTO versana_entries (workspace_id, seq, at_ticks, kind, data) VALUES ('load', $seq, $seq, 3, $data);", "$seq", "$data");
            using var insertReservation = Command(connection, "INSERT INTO versana_reservations (workspace_id, id, data) VALUES ('load', $id, $data);", "$id", "$data");
            using var findReservation = Command(connection, "SELECT data FROM versana_reservations WHERE workspace_id = 'load' AND id = $id;", "$id");
            using var lastSequence = Command(connection, "SELECT last_seq FROM versana_workspaces WHERE id = 'load';");
            using var saveWorkspace = Command(connection, "INSERT INTO versana_workspaces (id, last_seq, state) VALUES ('load', $seq, $state) ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq, state = excluded.state;", "$seq", "$state");

            var sequence = 0L;
            var random = new Random(1);
            var stopwatch = Stopwatch.StartNew();
            while (stopwatch.Elapsed < duration)
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                foreach (var command in new[] { insertEntry, insertReservation, findReservation, lastSequence, saveWorkspace })
                {
                    command.Transaction = transaction;
                }

                lastSequence.ExecuteScalar();
                for (var d = 0; d < decisionsPerTransaction; d++)
                {
                    sequence++;
                    insertEntry.Parameters["$seq"].Value = sequence;
                    insertEntry.Parameters["$data"].Value = entry;
                    insertEntry.ExecuteNonQuery();
                    var id = $"res_{random.NextInt64():x16}{random.NextInt64():x16}";
                    if (sequence % 2 == 0)
                    {
                        insertReservation.Parameters["$id"].Value = id;
                        insertReservation.Parameters["$data"].Value = reservation;
                        insertReservation.ExecuteNonQuery();
                    }
                    else
                    {
                        findReservation.Parameters["$id"].Value = id;
                        findReservation.ExecuteScalar();
                    }
                }

                saveWorkspace.Parameters["$seq"].Value = sequence;
                saveWorkspace.Parameters["$state"].Value = state;
                saveWorkspace.ExecuteNonQuery();
                transaction.Commit();
            }

            return (sequence / stopwatch.Elapsed.TotalSeconds, "an entry per decision, a reservation row per commit, no checkpoint");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static void Execute(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    private static Microsoft.Data.Sqlite.SqliteCommand Command(Microsoft.Data.Sqlite.SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static async Task<(double PairsPerSecond, double P50, double P99)> RunOnceAsync(int callers, TimeSpan duration, int batch, SqliteDurability durability)
    {
        var folder = Directory.CreateTempSubdirectory("versana-load-");
        try
        {
            await using var ledger = SqliteCreditLedger.Open(
                new SqliteLedgerOptions { Path = Path.Combine(folder.FullName, "load.db"), MaxBatchSize = batch, Durability = durability },
                BenchmarkPlans.Unlimited());
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("load", "Bench"));

            // Warm up the connection, statements and JIT before measuring.
            for (var i = 0; i < 200; i++)
            {
                var r = await ledger.ReserveAsync("load", new ReservationRequest(AiFeature.ReplySuggestion, $"warm-{i}"));
                await ledger.CommitAsync("load", r.Reservation!.Id);
            }

            var latencies = new List<double>[callers];
            var stopwatch = Stopwatch.StartNew();
            var tasks = Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
            {
                var mine = latencies[c] = new List<double>(100_000);
                for (var i = 0; stopwatch.Elapsed < duration; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var r = await ledger.ReserveAsync("load", new ReservationRequest(AiFeature.ReplySuggestion, $"c{c}-{i}"));
                    await ledger.CommitAsync("load", r.Reservation!.Id);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            })).ToArray();
            await Task.WhenAll(tasks);
            var elapsed = stopwatch.Elapsed.TotalSeconds;

            var all = latencies.SelectMany(l => l).Order().ToArray();
            var verification = await ledger.VerifyAsync("load");
            if (!verification.IsConsistent)
            {
                throw new InvalidOperationException("The ledger is inconsistent after the load run: " + string.Join("; ", verification.Differences));
            }

            Console.WriteLine(FormattableString.Invariant($"    average decisions per transaction: {((SqliteCreditStore)ledger.Store).AverageBatchSize:0.0}"));
            return (all.Length / elapsed, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
