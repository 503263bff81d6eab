using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// Requests/s of one guarded endpoint against the same endpoint without the guard, on one Kestrel server
/// with the in-memory ledger, loaded over loopback by wrk (a separate process), alternating in one run.
/// </summary>
internal static partial class MiddlewareLoadHarness
{
    public static async Task RunAsync(string[] args)
    {
        var connections = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 32;
        // Many short alternating rounds: this host's speed drifts over tens of seconds, and a pair of rounds far
        // apart in time measures the drift as much as the guard (3 x 10 s gave 76-93 %; 10 x 3 s 82-86 %).
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddVersana(o =>
        {
            o.WorkspaceId = "load";
            o.Ledger.Plans.Add(new CreditPlan("Bench", 0m, 1_000_000_000_000));
        }).UseInMemoryLedger().AddCreditGuardMiddleware();

        await using var app = builder.Build();
        app.UseCreditGuard();
        app.MapGet("/plain", () => "ok");
        app.MapGet("/guarded", () => "ok").RequireAiCredits(AiFeature.ConversationSummary);
        await app.Services.GetRequiredService<ICreditLedger>().CreateWorkspaceAsync(new WorkspaceSettings("load", "Bench"));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();

        Console.WriteLine($"Guarded vs unguarded endpoint, in-memory ledger, wrk -t2 -c{connections} -d{seconds}s, {rounds} alternating rounds, {Environment.ProcessorCount} cores");
        // Warm up both endpoints until the JIT is quiet (tiering promotes hot methods for a while on 2 cores):
        // less than 40 ms of compilation over a round of 2 s on each, at most 15 rounds.
        for (var warm = 0; warm < 15; warm++)
        {
            var compiling = System.Runtime.JitInfo.GetCompilationTime();
            await WrkAsync(url + "/plain", connections, 2);
            await WrkAsync(url + "/guarded", connections, 2);
            if (System.Runtime.JitInfo.GetCompilationTime() - compiling < TimeSpan.FromMilliseconds(40))
            {
                break;
            }
        }

        var plain = new List<double>();
        var guarded = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (path, results) in new[] { ("/plain", plain), ("/guarded", guarded) })
            {
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var paused = GC.GetTotalPauseDuration();
                var gen2 = GC.CollectionCount(2);
                var (rps, p50, p99) = await WrkAsync(url + path, connections, seconds);
                var perRequest = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (rps * seconds);
                var pausedShare = (GC.GetTotalPauseDuration() - paused).TotalSeconds / seconds;
                results.Add(rps);
                Console.WriteLine(FormattableString.Invariant(
                    $"  round {round + 1} {path,-9} {rps,10:N0} req/s   p50 {p50,7:0.00} ms   p99 {p99,7:0.00} ms   {perRequest,6:N0} B/req   GC paused {pausedShare,6:P1}, gen2 x{GC.CollectionCount(2) - gen2}"));
            }
        }

        var balance = await app.Services.GetRequiredService<ICreditLedger>().GetBalanceAsync("load");
        Console.WriteLine(FormattableString.Invariant($"  mean: plain {plain.Average():N0} req/s, guarded {guarded.Average():N0} req/s, ratio {guarded.Average() / plain.Average():P1}"));
        Console.WriteLine(FormattableString.Invariant($"  credits charged: {balance.Used:N0}, held at the end: {balance.Held}"));
        await app.StopAsync();
    }

    private static async Task<(double Rps, double P50, double P99)> WrkAsync(string url, int connections, int seconds)
    {
        var start = new ProcessStartInfo("wrk", ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", url]) { RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start: apt-get install wrk.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)") is { Success: true } errors)
        {
            throw new InvalidOperationException($"{errors.Groups[1].Value} failed responses from {url}:\n{output}");
        }

        return (
            double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Latency(output, "50%"),
            Latency(output, "99%"));
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)");
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();
}
