using BenchmarkDotNet.Running;
using Versana.Sdk.Benchmarks;

// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- --filter '*'      BenchmarkDotNet suites
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- sqlite-load       SQLite load harness
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- middleware-load   guarded vs plain endpoint (needs wrk)
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- credits-http-load reserve+commit over HTTP vs a trivial endpoint (needs wrk)
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- postgres-load     8 processes on one PostgreSQL workspace vs pgbench
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- ledger-growth     3M pairs on one in-memory ledger that keeps everything
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- quick [guard]     a plain loop of ledger pairs (or guarded calls) to profile
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- allocs            a guarded no-op's allocations by type (sampled)
if (args.Length > 0 && args[0] == "analyzer-cost")
{
    await AnalyzerCostHarness.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 300);
    return;
}

if (args.Length > 0 && args[0] == "analyzer-build")
{
    await AnalyzerBuildHarness.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 300,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
    return;
}

if (args.Length > 0 && args[0] == "allocs")
{
    AllocTicks.Run();
    return;
}

if (args.Length > 0 && args[0] == "parts")
{
    QuickParts.Run();
    return;
}

if (args.Length > 0 && args[0] == "quick")
{
    QuickLoop.Run(args.Skip(1).ToArray());
    return;
}

if (args.Length > 0 && args[0] == "postgres-load")
{
    await PostgresLoadHarness.RunAsync(args.Skip(1).ToArray());
    return;
}

if (args.Length > 0 && args[0] == "credits-http-load")
{
    await CreditsHttpLoadHarness.RunAsync(args.Skip(1).ToArray());
    return;
}

if (args.Length > 0 && args[0] == "middleware-load")
{
    await MiddlewareLoadHarness.RunAsync(args.Skip(1).ToArray());
    return;
}

if (args.Length > 0 && args[0] == "ledger-growth")
{
    await LedgerGrowthHarness.RunAsync(args.Skip(1).ToArray());
    return;
}

if (args.Length > 0 && args[0] == "sqlite-load")
{
    await SqliteLoadHarness.RunAsync(args.Skip(1).ToArray());
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
