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

        foreach (var (name, batch) in new[] { ("group commit (batch <= 256)", 256), ("one decision per transaction", 1) })
        {
            foreach (var durability in new[] { SqliteDurability.ProcessCrash, SqliteDurability.PowerLoss })
            {
                var (pairs, p50, p99) = await RunOnceAsync(callers, TimeSpan.FromSeconds(seconds), batch, durability);
                Console.WriteLine(FormattableString.Invariant($"  {name,-30} {durability,-13} {pairs,10:N0} pairs/s   p50 {p50,7:0.000} ms   p99 {p99,7:0.000} ms"));
            }
        }
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
