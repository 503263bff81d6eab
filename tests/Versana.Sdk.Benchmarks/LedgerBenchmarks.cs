using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// Reserve+commit on the in-memory ledger next to a token-bucket acquire, the cheapest admission check .NET ships.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[InvocationCount(InvocationsPerIteration)]
public class LedgerBenchmarks
{
    private const int InvocationsPerIteration = 65_536;

    private readonly string[] _keys = Enumerable.Range(0, InvocationsPerIteration).Select(i => $"key-{i:x8}").ToArray();
    private TokenBucketRateLimiter _limiter = null!;
    private CreditLedger _ledger = null!;
    private int _next;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = int.MaxValue,
            TokensPerPeriod = int.MaxValue,
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(1),
            AutoReplenishment = true,
            QueueLimit = 0,
        });
    }

    [IterationSetup]
    public void IterationSetup()
    {
        // A fresh ledger per iteration keeps the audit trail (kept whole in memory) from growing without bound.
        _ledger = CreditLedger.CreateInMemory(BenchmarkPlans.Unlimited());
        _ledger.CreateWorkspaceAsync(new WorkspaceSettings("bench", "Bench")).AsTask().GetAwaiter().GetResult();
        _next = 0;
    }

    [GlobalCleanup]
    public void GlobalCleanup() => _limiter.Dispose();

    [Benchmark(Baseline = true, Description = "TokenBucketRateLimiter.AttemptAcquire")]
    public bool TokenBucketAcquire()
    {
        using var lease = _limiter.AttemptAcquire();
        return lease.IsAcquired;
    }

    [Benchmark(Description = "In-memory ledger reserve+commit")]
    public long ReserveCommit()
    {
        var reserved = _ledger.ReserveAsync("bench", new ReservationRequest(AiFeature.ReplySuggestion, _keys[_next++])).GetAwaiter().GetResult();
        return _ledger.CommitAsync("bench", reserved.Reservation!.Id).GetAwaiter().GetResult().Charged;
    }
}
