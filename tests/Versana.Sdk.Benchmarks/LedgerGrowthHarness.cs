using System.Diagnostics;
using System.Globalization;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// The in-memory ledger as a long-running development server uses it: one workspace, millions of
/// reserve+commit pairs on one ledger that keeps everything, so the store's index and rows outgrow the caches.
/// The BenchmarkDotNet suite starts a fresh ledger every 65,536 pairs and never sees this.
/// </summary>
internal static class LedgerGrowthHarness
{
    public static async Task RunAsync(string[] args)
    {
        var pairs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3_000_000;
        var ledger = CreditLedger.CreateInMemory(BenchmarkPlans.Unlimited());
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("growth", "Bench"));
        var keys = new string[pairs];
        for (var i = 0; i < pairs; i++)
        {
            keys[i] = string.Create(CultureInfo.InvariantCulture, $"key-{i:x8}");
        }

        var latencies = new double[pairs];
        var gen2Before = GC.CollectionCount(2);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < pairs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var reserved = await ledger.ReserveAsync("growth", new ReservationRequest(AiFeature.ReplySuggestion, keys[i]));
            await ledger.CommitAsync("growth", reserved.Reservation!.Id);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        var seconds = total.Elapsed.TotalSeconds;
        var gen2 = GC.CollectionCount(2) - gen2Before;
        var heapMb = GC.GetTotalMemory(forceFullCollection: true) / 1e6;
        var nativeMb = Ledger.Storage.CompactJournal.NativeBytes / 1e6;
        Array.Sort(latencies);
        Console.WriteLine(FormattableString.Invariant(
            $"In-memory ledger, one workspace, {pairs:N0} reserve+commit pairs on one ledger, one thread, {Environment.ProcessorCount} cores"));
        Console.WriteLine(FormattableString.Invariant(
            $"  {pairs / seconds:N0} pairs/s ({seconds * 1e9 / pairs:N0} ns a pair)   p50 {latencies[pairs / 2] * 1000:0.0} µs   p99.9 {latencies[(int)(pairs * 0.999)] * 1000:0.0} µs   longest {latencies[^1]:0.0} ms"));
        Console.WriteLine(FormattableString.Invariant(
            $"  gen2 collections {gen2}, managed heap after a full collection {heapMb:N0} MB + the journal's native rows {nativeMb:N0} MB ({(heapMb + nativeMb) * 1e6 / pairs:N0} B a pair kept, the keys' own strings included)"));
    }
}
