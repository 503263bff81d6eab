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
    }

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
        var features = _costs.Keys.Select(f => f.Name).Concat(account.Costs.Keys).Distinct(StringComparer.OrdinalIgnoreCase);
        var cheapest = long.MaxValue;
        foreach (var name in features)
        {
            var feature = new AiFeature(name);
            if (!CreditRules.RefusesForAutomation(feature, account.AutomationEnabled) && CostOf(account, feature) is { } cost)
            {
                cheapest = Math.Min(cheapest, cost);
            }
        }

        return cheapest;
    }
}
