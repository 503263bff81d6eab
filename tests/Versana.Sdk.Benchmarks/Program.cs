using BenchmarkDotNet.Running;
using Versana.Sdk.Benchmarks;

// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- --filter '*'      BenchmarkDotNet suites
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- sqlite-load       SQLite load harness
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- sqlite-usage      usage of a month with 1 vs 12 months of history
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- middleware-load   guarded vs plain endpoint (needs wrk)
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- credits-http-load reserve+commit over HTTP vs a trivial endpoint (needs wrk)
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- postgres-load     8 processes on one PostgreSQL workspace vs pgbench
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- analyzer-cost     the analyzers' share of a compilation
// dotnet run -c Release --project tests/Versana.Sdk.Benchmarks -- analyzer-build    a build with and without the analyzers
var rest = args.Skip(1).ToArray();
switch (args.FirstOrDefault())
{
    case "analyzer-cost":
        await AnalyzerCostHarness.RunAsync(rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 300);
        break;
    case "analyzer-build":
        await AnalyzerBuildHarness.RunAsync(
            rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 300,
            rest.Length > 1 ? int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
        break;
    case "postgres-load":
        await PostgresLoadHarness.RunAsync(rest);
        break;
    case "credits-http-load":
        await CreditsHttpLoadHarness.RunAsync(rest);
        break;
    case "middleware-load":
        await MiddlewareLoadHarness.RunAsync(rest);
        break;
    case "sqlite-load":
        await SqliteLoadHarness.RunAsync(rest);
        break;
    case "sqlite-usage":
        await SqliteUsageHarness.RunAsync(rest);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        break;
}
