using System.Globalization;
using Versana.Sdk;
using Versana.Sdk.PostgreSql;

// A separate OS process on a shared PostgreSQL ledger, for the multi-process tests and the load harness.
//   drain <connection> <schema> <workspace> <tag>       reserve+commit 1 credit until refused; prints "charged <n>"
//   hold  <connection> <schema> <workspace> <n> <ttl-s> reserve n×10 credits and keep them; prints "held", waits to be killed
//   bench <connection> <schema> <workspace> <tag> <seconds> <callers>  warm up on a workspace of its own until the JIT is
//                                                       quiet (at most VERSANA_WARMUP_SECONDS, default 60), print "ready", wait for a line, then
//                                                       reserve+commit pairs for a while; prints "pairs <n> p50 <ms> p99 <ms> jit <ms>"
var (mode, connection, schema, workspace) = (args[0], args[1], args[2], args[3]);
var options = new CreditLedgerOptions();
options.Plans.Add(new CreditPlan("Bench", 0m, 1_000_000_000_000)); // the load harness's unlimited plan
var postgres = new PostgresLedgerOptions { ConnectionString = connection, Schema = schema };
if (mode == "hold")
{
    options.ReservationTtl = TimeSpan.FromSeconds(int.Parse(args[5], CultureInfo.InvariantCulture));
}

var ledger = PostgresCreditLedger.Open(postgres, options);
await using var disposeLedger = ledger;

if (mode == "drain")
{
    var tag = args[4];
    long charged = 0;
    for (var i = 0; ; i++)
    {
        var reserved = await ledger.ReserveAsync(workspace, new ReservationRequest(AiFeature.ConversationSummary, $"{tag}-{i}") { Credits = 1 });
        if (!reserved.IsGranted)
        {
            break;
        }

        charged += (await ledger.CommitAsync(workspace, reserved.Reservation.Id)).Charged;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"charged {charged}"));
}
else if (mode == "bench")
{
    var (tag, seconds, callers) = (args[4], double.Parse(args[5], CultureInfo.InvariantCulture), int.Parse(args[6], CultureInfo.InvariantCulture));

    // Warm up on a workspace of this process's own first, until the JIT has gone quiet: a fresh process spends
    // its first seconds compiling and then promoting hot methods (with 8 processes on 2 shared cores the JIT took
    // half the CPU or more well into a 20 s run), and the measured workspace must record exactly the measured
    // pairs. Quiet: less than 20 ms of compilation in the last second.
    var warmLimit = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("VERSANA_WARMUP_SECONDS") ?? "60", CultureInfo.InvariantCulture));
    if (warmLimit > TimeSpan.Zero)
    {
        var warmWorkspace = $"{workspace}-warm-{tag}";
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings(warmWorkspace, "Bench"));
        using var quiet = new CancellationTokenSource();
        var warming = RunAsync(warmWorkspace, $"warm-{tag}", warmLimit, record: false, quiet.Token);
        var compiling = System.Runtime.JitInfo.GetCompilationTime();
        var warmStarted = System.Diagnostics.Stopwatch.StartNew();
        while (!warming.IsCompleted)
        {
            await Task.WhenAny(warming, Task.Delay(1000));
            var now = System.Runtime.JitInfo.GetCompilationTime();
            if (warmStarted.Elapsed > TimeSpan.FromSeconds(3) && now - compiling < TimeSpan.FromMilliseconds(20))
            {
                break;
            }

            compiling = now;
        }

        await quiet.CancelAsync();
        await warming;
    }

    Console.WriteLine("ready");
    _ = Console.ReadLine(); // every process starts together
    var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
    var (pairs, latencies) = await RunAsync(workspace, tag, TimeSpan.FromSeconds(seconds), record: true, CancellationToken.None);
    var jitMs = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds;
    latencies.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pairs {pairs} p50 {latencies[latencies.Count / 2]:0.000} p99 {latencies[(int)(latencies.Count * 0.99)]:0.000} jit {jitMs:0}"));

    async Task<(int Pairs, List<double> Latencies)> RunAsync(string target, string keyPrefix, TimeSpan duration, bool record, CancellationToken stop)
    {
        var until = DateTime.UtcNow + duration;
        var all = new List<double>();
        var made = 0;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var mine = new List<double>();
            var count = 0;
            for (var i = 0; DateTime.UtcNow < until && !stop.IsCancellationRequested; i++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var reserved = await ledger.ReserveAsync(target, new ReservationRequest(AiFeature.ConversationSummary, $"{keyPrefix}-{caller}-{i}") { Credits = 1 });
                await ledger.CommitAsync(target, reserved.Reservation!.Id);
                count++;
                if (record)
                {
                    mine.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            lock (all)
            {
                all.AddRange(mine);
                made += count;
            }
        })));
        return (made, all);
    }
}
else if (mode == "hold")
{
    var count = int.Parse(args[4], CultureInfo.InvariantCulture);
    for (var i = 0; i < count; i++)
    {
        var reserved = await ledger.ReserveAsync(workspace, new ReservationRequest(AiFeature.ConversationSummary, $"hold-{i}") { Credits = 10 });
        if (!reserved.IsGranted)
        {
            throw new InvalidOperationException("Refused: " + reserved.Denial.Message);
        }

    }

    Console.WriteLine("held");
    await Task.Delay(Timeout.Infinite);
}
