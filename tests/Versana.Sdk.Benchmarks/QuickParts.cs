using System.Diagnostics;
using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.Benchmarks;

internal static class QuickParts
{
    public static void Run()
    {
        var ledger = CreditLedger.CreateInMemory(BenchmarkPlans.Unlimited());
        ledger.CreateWorkspaceAsync(new WorkspaceSettings("bench", "Bench")).AsTask().GetAwaiter().GetResult();
        var keys = Enumerable.Range(0, 200_000).Select(i => $"key-{i:x8}").ToArray();
        for (var round = 0; round < 3; round++)
        {
            Time("sha id", keys.Length, i => ReservationIds.FromKey(keys[i]));
            Time("balance", 200_000, _ => ledger.GetBalanceAsync("bench").AsTask().GetAwaiter().GetResult());
            Time("utcnow", 200_000, _ => TimeProvider.System.GetUtcNow());
            var ids = new string[20_000];
            Time("reserve", 20_000, i => ids[i] = ledger.ReserveAsync("bench", new ReservationRequest(AiFeature.ReplySuggestion, keys[i + round * 60_000])).GetAwaiter().GetResult().Reservation!.Id);
            Time("commit", 20_000, i => ledger.CommitAsync("bench", ids[i]).GetAwaiter().GetResult());
        }
    }

    private static void Time(string name, int n, Action<int> action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            action(i);
        }

        Console.WriteLine($"{name,-10} {sw.Elapsed.TotalNanoseconds / n,8:0} ns {(GC.GetAllocatedBytesForCurrentThread() - before) / n,6} B");
    }
}
