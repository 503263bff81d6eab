namespace Versana.Sdk.Benchmarks;

/// <summary>
/// A plain loop to run under <c>perf</c> (BenchmarkDotNet's child processes are awkward to attach to), one
/// fresh in-memory ledger a round as in the BenchmarkDotNet suites: <c>quick</c> makes ledger reserve+commit
/// pairs, <c>quick guard</c> guarded no-op calls. Each round prints its time, allocation and collector pause
/// per call, and the collection counts so far: a round with a gen2 collection shows as one. A third argument
/// <c>collect</c> runs a full blocking collection before each round; <c>suite</c> runs it after the round's fresh
/// ledger is made, as BenchmarkDotNet does (iteration setup, then the collections, then the calls), so the ledger's
/// own objects start the round in the oldest generation.
/// </summary>
internal static class QuickLoop
{
    private const int CallsPerRound = 16_384;

    public static void Run(string[] args)
    {
        var guarded = args.Length > 0 && args[0] == "guard";
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40;
        var collect = args.Length > 2 && args[2] == "collect";
        var suiteOrder = args.Length > 2 && args[2] == "suite";
        if (guarded && args.Length > 2 && args[2] == "bdn")
        {
            RunSuiteClass(rounds);
            return;
        }

        for (var round = 0; round < rounds; round++)
        {
            if (collect)
            {
                Collect();
            }

            if (guarded)
            {
                RunGuarded(suiteOrder);
            }
            else
            {
                RunLedger();
            }
        }
    }

    private static void RunLedger()
    {
        var ledger = CreditLedger.CreateInMemory(BenchmarkPlans.Unlimited());
        ledger.CreateWorkspaceAsync(new WorkspaceSettings("bench", "Bench")).AsTask().GetAwaiter().GetResult();
        var keys = Enumerable.Range(0, CallsPerRound).Select(i => $"key-{i:x8}").ToArray();
        Measure("pair", i =>
        {
            var r = ledger.ReserveAsync("bench", new ReservationRequest(AiFeature.ReplySuggestion, keys[i])).GetAwaiter().GetResult();
            ledger.CommitAsync("bench", r.Reservation!.Id).GetAwaiter().GetResult();
        });
    }

    // The suite's own class, driven as BenchmarkDotNet drives it: iteration setup, the collections, then the calls.
    private static void RunSuiteClass(int rounds)
    {
        var suite = new GuardBenchmarks();
        suite.GlobalSetup();
        for (var round = 0; round < rounds; round++)
        {
            suite.IterationSetup();
            Collect();
            Measure("call", _ => suite.Guarded());
        }

        suite.GlobalCleanup();
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void RunGuarded(bool suiteOrder)
    {
        var (provider, guard) = BenchmarkPlans.Guarded();
        if (suiteOrder)
        {
            Collect();
        }

        Func<CreditGuardContext, CancellationToken, ValueTask<int>> noOp = static (_, _) => new ValueTask<int>(42);
        Measure("call", _ => guard.ExecuteAsync(AiFeature.ReplySuggestion, noOp).GetAwaiter().GetResult());
        provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static void Measure(string unit, Action<int> call)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var paused = GC.GetTotalPauseDuration();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < CallsPerRound; i++)
        {
            call(i);
        }

        var elapsed = watch.Elapsed;
        Console.WriteLine(FormattableString.Invariant(
            $"{elapsed.TotalNanoseconds / CallsPerRound,6:0} ns/{unit}  {(GC.GetAllocatedBytesForCurrentThread() - allocated) / CallsPerRound,5} B/{unit}  GC paused {(GC.GetTotalPauseDuration() - paused).TotalNanoseconds / CallsPerRound,5:0} ns/{unit}  collections gen0/1/2 so far {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}"));
    }
}
