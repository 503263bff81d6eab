namespace Versana.Sdk;

/// <summary>
/// A subscription plan and the AI credits it includes each month.
/// </summary>
/// <param name="Name">The plan name, unique in the catalog (case-insensitive).</param>
/// <param name="MonthlyPrice">The monthly price in US dollars, for display.</param>
/// <param name="MonthlyCredits">The credits allocated each billing period; 0 means the plan excludes AI.</param>
public sealed record CreditPlan(string Name, decimal MonthlyPrice, long MonthlyCredits)
{
    /// <summary>Gets a value indicating whether the plan includes AI features.</summary>
    public bool IncludesAi => MonthlyCredits > 0;

    /// <summary>The Solo plan: $19/mo, AI not included.</summary>
    public static CreditPlan Solo { get; } = new("Solo", 19m, 0);

    /// <summary>The Starter plan: $59/mo, 3,000 credits.</summary>
    public static CreditPlan Starter { get; } = new("Starter", 59m, 3_000);

    /// <summary>The Growth plan: $129/mo, 10,000 credits.</summary>
    public static CreditPlan Growth { get; } = new("Growth", 129m, 10_000);

    /// <summary>The Scale plan: $249/mo, 30,000 credits.</summary>
    public static CreditPlan Scale { get; } = new("Scale", 249m, 30_000);
}
