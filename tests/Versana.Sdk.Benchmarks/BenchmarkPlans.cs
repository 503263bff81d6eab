using Microsoft.Extensions.DependencyInjection;

namespace Versana.Sdk.Benchmarks;

internal static class BenchmarkPlans
{
    /// <summary>A plan large enough that a benchmark never runs the pool dry.</summary>
    public static CreditLedgerOptions Unlimited()
    {
        var options = new CreditLedgerOptions();
        options.Plans.Add(new CreditPlan("Bench", 0m, 1_000_000_000_000));
        return options;
    }

    /// <summary>The SDK as an app gets it from DI (in-memory ledger, workspace "bench" on the unlimited plan), and its guard.</summary>
    public static (ServiceProvider Provider, ICreditGuard Guard) Guarded()
    {
        var services = new ServiceCollection();
        services.AddVersana(o =>
        {
            o.WorkspaceId = "bench";
            o.Ledger.Plans.Add(new CreditPlan("Bench", 0m, 1_000_000_000_000));
        }).UseInMemoryLedger();
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<ICreditLedger>().CreateWorkspaceAsync(new WorkspaceSettings("bench", "Bench")).AsTask().GetAwaiter().GetResult();
        return (provider, provider.GetRequiredService<ICreditGuard>());
    }
}
