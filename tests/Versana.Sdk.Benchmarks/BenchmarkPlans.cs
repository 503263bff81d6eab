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
}
