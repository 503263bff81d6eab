using System.Diagnostics;
using System.Globalization;
using Versana.Sdk.Sqlite;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// "Usage this month" on a SQLite ledger whose workspace has one month of history, next to one with twelve: the
/// query must read the month it reports, not the whole trail.
/// </summary>
internal static class SqliteUsageHarness
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task RunAsync(string[] args)
    {
        var perMonth = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 25_000;
        Console.WriteLine(FormattableString.Invariant($"SQLite usage of the current month, {perMonth:N0} commits a month, median of 21 reads"));
        var one = await MeasureAsync(months: 1, perMonth);
        var twelve = await MeasureAsync(months: 12, perMonth);
        Console.WriteLine(FormattableString.Invariant($"   1 month of history  {one,8:0.0} ms"));
        Console.WriteLine(FormattableString.Invariant($"  12 months of history {twelve,8:0.0} ms   {twelve / one,5:0.00}x the time with one"));
    }

    private static async Task<double> MeasureAsync(int months, int perMonth)
    {
        var folder = Directory.CreateTempSubdirectory("versana-usage-");
        try
        {
            var clock = new ManualClock { Now = s_start };
            await using var ledger = SqliteCreditLedger.Open(new SqliteLedgerOptions { Path = Path.Combine(folder.FullName, "usage.db") }, BenchmarkPlans.Unlimited(), clock);
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("usage", "Bench") { TimeZoneId = "Etc/UTC" });

            // The history, 256 concurrent pairs at a time (the writer batches them), spread evenly over each month.
            const int Chunk = 256;
            for (var month = 0; month < months; month++)
            {
                var from = s_start.AddMonths(month);
                var step = (from.AddMonths(1) - from - TimeSpan.FromHours(1)) / perMonth;
                for (var done = 0; done < perMonth; done += Chunk)
                {
                    clock.Now = from + (step * done);
                    var count = Math.Min(Chunk, perMonth - done);
                    await Task.WhenAll(Enumerable.Range(done, count).Select(async i =>
                    {
                        var r = await ledger.ReserveAsync("usage", new ReservationRequest(AiFeature.ReplySuggestion, $"m{month}-{i}"));
                        await ledger.CommitAsync("usage", r.Reservation!.Id);
                    }));
                }
            }

            var last = s_start.AddMonths(months - 1);
            var (first, end) = (DateOnly.FromDateTime(last.UtcDateTime), DateOnly.FromDateTime(last.AddMonths(1).AddDays(-1).UtcDateTime));
            var times = new List<double>();
            for (var i = 0; i < 22; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var usage = await ledger.GetUsageAsync("usage", first, end);
                if (i > 0)
                {
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                if (usage.TotalCredits != perMonth)
                {
                    throw new InvalidOperationException($"The month's usage is {usage.TotalCredits} credits, not {perMonth}.");
                }
            }

            times.Sort();
            return times[times.Count / 2];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
