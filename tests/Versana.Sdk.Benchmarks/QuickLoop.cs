namespace Versana.Sdk.Benchmarks;
internal static class QuickLoop
{
    public static void Run()
    {
        for (var round = 0; round < 40; round++)
        {
            var ledger = CreditLedger.CreateInMemory(BenchmarkPlans.Unlimited());
            ledger.CreateWorkspaceAsync(new WorkspaceSettings("bench", "Bench")).AsTask().GetAwaiter().GetResult();
            var keys = Enumerable.Range(0, 4096).Select(i => $"key-{i:x8}").ToArray();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < keys.Length; i++)
            {
                var r = ledger.ReserveAsync("bench", new ReservationRequest(AiFeature.ReplySuggestion, keys[i])).GetAwaiter().GetResult();
                ledger.CommitAsync("bench", r.Reservation!.Id).GetAwaiter().GetResult();
            }
            Console.WriteLine($"{sw.Elapsed.TotalNanoseconds / keys.Length:0} ns/pair {(GC.GetAllocatedBytesForCurrentThread() - before) / keys.Length} B/pair");
        }
    }
}
