using System.Diagnostics;
using System.Globalization;
using Versana.Sdk.Sqlite;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// Reserve+commit pairs per second on one workspace of a SQLite ledger from N concurrent callers, with H other
/// reservations held open on the same workspace the whole time: a decision's cost must not grow with H.
/// </summary>
internal static class SqliteLoadHarness
{
    public static async Task RunAsync(string[] args)
    {
        var callers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"SQLite reserve+commit pairs/s, one workspace, {callers} concurrent callers, {seconds:0.#} s per run, group commit");

        // A first run that is not reported: the JIT and the disk cache warm up on it.
        await RunOnceAsync(callers, TimeSpan.FromSeconds(seconds), holds: 0);
        double? none = null;
        foreach (var holds in new[] { 0, 100, 1_000, 4_000 })
        {
            var (pairs, p50, p99) = await RunOnceAsync(callers, TimeSpan.FromSeconds(seconds), holds);
            none ??= pairs;
            Console.WriteLine(FormattableString.Invariant($"  {holds,5:N0} holds open  {pairs,10:N0} pairs/s   p50 {p50,7:0.000} ms   p99 {p99,7:0.000} ms   {pairs / none.Value,6:P0} of the rate with none"));
        }
    }

    private static async Task<(double PairsPerSecond, double P50, double P99)> RunOnceAsync(int callers, TimeSpan duration, int holds)
    {
        var folder = Directory.CreateTempSubdirectory("versana-load-");
        try
        {
            await using var ledger = SqliteCreditLedger.Open(
                new SqliteLedgerOptions { Path = Path.Combine(folder.FullName, "load.db") },
                BenchmarkPlans.Unlimited());
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("load", "Bench"));

            for (var i = 0; i < holds; i++)
            {
                await ledger.ReserveAsync("load", new ReservationRequest(AiFeature.ConversationSummary, $"hold-{i}") { Ttl = TimeSpan.FromHours(1) });
            }

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

            return (all.Length / elapsed, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
