namespace Versana.Sdk.Rules;

/// <summary>
/// The ledger's configuration as the rules read it: plans, default costs, boost packs, thresholds and timing, copied
/// once from validated <see cref="CreditLedgerOptions"/> so options changed after start-up never change a decision.
/// </summary>
internal sealed class CreditPolicy
{
    private readonly Dictionary<string, CreditPlan> _plans;
    private readonly Dictionary<AiFeature, long> _costs;

    public CreditPolicy(CreditLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _plans = options.Plans.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _costs = new Dictionary<AiFeature, long>(options.Costs);
        BoostPackSizes = [.. options.BoostPackSizes.Distinct().Order()];
        Thresholds = [.. options.ThresholdPercents.Distinct().Order()];
        ReservationTtl = options.ReservationTtl;
        MaxReservationTtl = options.MaxReservationTtl;
        BoostPackLifetime = options.BoostPackLifetime;
        MaxCreditsPerRequest = options.MaxCreditsPerRequest;
        DefaultTimeZoneId = options.DefaultTimeZoneId;
        _cheapestWithAutomation = Cheapest(_costs, automationEnabled: true);
        _cheapestWithoutAutomation = Cheapest(_costs, automationEnabled: false);
    }

    // Most workspaces keep the default prices: their cheapest feature depends only on the automation switch.
    private readonly long _cheapestWithAutomation;
    private readonly long _cheapestWithoutAutomation;

    public IReadOnlyCollection<string> PlanNames => _plans.Keys;

    /// <summary>Gets the boost pack sizes on offer, smallest first.</summary>
    public IReadOnlyList<long> BoostPackSizes { get; }

    /// <summary>Gets the usage thresholds in percent, ascending.</summary>
    public IReadOnlyList<int> Thresholds { get; }

    public TimeSpan ReservationTtl { get; }

    public TimeSpan MaxReservationTtl { get; }

    public TimeSpan? BoostPackLifetime { get; }

    public long MaxCreditsPerRequest { get; }

    public string DefaultTimeZoneId { get; }

    public CreditPlan? FindPlan(string name) => _plans.GetValueOrDefault(name);

    /// <summary>Whether the plan includes AI; a plan no longer in the catalog does not.</summary>
    public bool IncludesAi(string plan) => FindPlan(plan)?.IncludesAi ?? false;

    /// <summary>Gets what <paramref name="feature"/> costs the workspace: its own price, else the default; null when unknown.</summary>
    public long? CostOf(AccountState account, AiFeature feature)
        => account.Costs.TryGetValue(feature.Name, out var own) ? own
            : _costs.TryGetValue(feature, out var cost) ? cost
            : null;

    /// <summary>Gets the price of the cheapest feature the workspace may run: below it, the workspace is paused.</summary>
    public long CheapestEnabledCost(AccountState account)
    {
        if (account.Costs.IsEmpty)
        {
            return account.AutomationEnabled ? _cheapestWithAutomation : _cheapestWithoutAutomation;
        }

        var prices = new Dictionary<AiFeature, long>(_costs);
        foreach (var (name, cost) in account.Costs)
        {
            prices[new AiFeature(name)] = cost;
        }

        return Cheapest(prices, account.AutomationEnabled);
    }

    private static long Cheapest(IReadOnlyDictionary<AiFeature, long> prices, bool automationEnabled)
        => prices.Where(p => !CreditRules.RefusesForAutomation(p.Key, automationEnabled)).Select(p => p.Value).DefaultIfEmpty(long.MaxValue).Min();
}
