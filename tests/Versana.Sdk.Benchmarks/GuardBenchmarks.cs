using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// What the guard adds to an AI call: a guarded no-op next to the bare no-op on the in-memory ledger, and
/// the fast refusal a paused workspace gets from the memo without a ledger call.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GuardBenchmarks
{
    private const int InvocationsPerIteration = 16_384;

    private static readonly Func<CreditGuardContext, CancellationToken, ValueTask<int>> s_noOp = static (_, _) => new ValueTask<int>(42);

    private ServiceProvider _provider = null!;
    private ICreditGuard _guard = null!;
    private ServiceProvider _pausedProvider = null!;
    private ICreditGuard _pausedGuard = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        (_provider, _guard) = Create("Bench");
        (_pausedProvider, _pausedGuard) = Create("Solo");
        _pausedGuard.TryExecuteAsync(AiFeature.ReplySuggestion, s_noOp).AsTask().GetAwaiter().GetResult();
    }

    // Only the guarded call records anything, so only it needs a fresh ledger per iteration (the in-memory
    // store keeps its whole audit trail); the others run with BenchmarkDotNet's own invocation counts.
    [IterationSetup(Target = nameof(Guarded))]
    public void IterationSetup()
    {
        _provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
        (_provider, _guard) = Create("Bench");
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _pausedProvider.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "bare no-op action")]
    public int Bare() => s_noOp(null!, default).GetAwaiter().GetResult();

    [Benchmark(Description = "guarded no-op (reserve+commit, in-memory)")]
    [InvocationCount(InvocationsPerIteration)]
    public int Guarded() => _guard.ExecuteAsync(AiFeature.ReplySuggestion, s_noOp).GetAwaiter().GetResult();

    [Benchmark(Description = "paused fast refusal (memo, no ledger call)")]
    public bool PausedRefusal() => _pausedGuard.TryExecuteAsync(AiFeature.ReplySuggestion, s_noOp).GetAwaiter().GetResult().Succeeded;

    private static (ServiceProvider, ICreditGuard) Create(string plan)
    {
        var services = new ServiceCollection();
        services.AddVersana(o =>
        {
            o.WorkspaceId = "bench";
            o.PauseMemoMaxAge = TimeSpan.FromHours(1);
            o.Ledger.Plans.Add(new CreditPlan("Bench", 0m, 1_000_000_000_000));
        }).UseInMemoryLedger();
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<ICreditLedger>().CreateWorkspaceAsync(new WorkspaceSettings("bench", plan)).AsTask().GetAwaiter().GetResult();
        return (provider, provider.GetRequiredService<ICreditGuard>());
    }
}
