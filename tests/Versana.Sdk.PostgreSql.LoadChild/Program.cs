using System.Globalization;
using Versana.Sdk;
using Versana.Sdk.PostgreSql;

// A separate OS process on a shared PostgreSQL ledger, for the multi-process tests.
//   drain <connection> <schema> <workspace> <tag>       reserve+commit 1 credit until refused; prints "charged <n>"
//   hold  <connection> <schema> <workspace> <n> <ttl-s> reserve n credits and keep them; prints "held", waits to be killed
//   bench <connection> <schema> <workspace> <tag> <seconds> <callers>  reserve+commit pairs for a while; prints "pairs <n> p50 <ms> p99 <ms>"
var (mode, connection, schema, workspace) = (args[0], args[1], args[2], args[3]);
var options = new CreditLedgerOptions();
options.Plans.Add(new CreditPlan("Bench", 0m, 1_000_000_000_000)); // the load harness's unlimited plan
await using var ledger = PostgresCreditLedger.Open(new PostgresLedgerOptions { ConnectionString = connection, Schema = schema }, options);

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
    Console.WriteLine("ready");
    _ = Console.ReadLine(); // every process starts together
    var until = DateTime.UtcNow.AddSeconds(seconds);
    var latencies = new List<double>();
    await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
    {
        var mine = new List<double>();
        for (var i = 0; DateTime.UtcNow < until; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var reserved = await ledger.ReserveAsync(workspace, new ReservationRequest(AiFeature.ConversationSummary, $"{tag}-{caller}-{i}") { Credits = 1 });
            await ledger.CommitAsync(workspace, reserved.Reservation!.Id);
            mine.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        lock (latencies)
        {
            latencies.AddRange(mine);
        }
    })));
    latencies.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pairs {latencies.Count} p50 {latencies[latencies.Count / 2]:0.000} p99 {latencies[(int)(latencies.Count * 0.99)]:0.000}"));
}
else if (mode == "hold")
{
    var count = int.Parse(args[4], CultureInfo.InvariantCulture);
    var ttl = TimeSpan.FromSeconds(int.Parse(args[5], CultureInfo.InvariantCulture));
    for (var i = 0; i < count; i++)
    {
        var reserved = await ledger.ReserveAsync(workspace, new ReservationRequest(AiFeature.ConversationSummary, $"hold-{i}") { Credits = 10, Ttl = ttl });
        if (!reserved.IsGranted)
        {
            throw new InvalidOperationException("Refused: " + reserved.Denial.Message);
        }
    }

    Console.WriteLine("held");
    await Task.Delay(Timeout.Infinite);
}
