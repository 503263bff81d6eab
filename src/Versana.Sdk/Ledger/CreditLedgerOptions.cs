namespace Versana.Sdk;

/// <summary>
/// Options of the credit ledger: the plan catalog, feature costs, boost packs and reservation timing.
/// </summary>
/// <remarks>
/// Defaults follow the VersanaCX help-center page "Understanding AI Credits". Validate with
/// <see cref="Validate"/> (the DI registration does it at start-up).
/// </remarks>
public sealed class CreditLedgerOptions
{
    /// <summary>
    /// The largest number of credits any setting may name (a plan's allocation, a boost pack, a cost, the most one
    /// request may hold): one trillion, so no sum of them a workspace can reach overflows.
    /// </summary>
    public const long MaxCredits = 1_000_000_000_000;

    internal const string MaxCreditsText = "1,000,000,000,000";

    /// <summary>Gets the plan catalog. Defaults: Solo (no AI), Starter 3,000, Growth 10,000, Scale 30,000.</summary>
    public IList<CreditPlan> Plans { get; } = [CreditPlan.Solo, CreditPlan.Starter, CreditPlan.Growth, CreditPlan.Scale];

    /// <summary>
    /// Gets the default credits each feature costs per call. A feature not listed here (or in the
    /// workspace's own costs) is unknown and refused. Defaults: 1 for each feature, 2 for automated responses.
    /// </summary>
    public IDictionary<AiFeature, long> Costs { get; } = new Dictionary<AiFeature, long>
    {
        [AiFeature.ReplySuggestion] = 1,
        [AiFeature.ConversationSummary] = 1,
        [AiFeature.Classification] = 1,
        [AiFeature.AutomatedResponse] = 2,
    };

    /// <summary>Gets the boost pack sizes on offer, in credits. Defaults: 1,000, 5,000 and 20,000.</summary>
    public IList<long> BoostPackSizes { get; } = [1_000, 5_000, 20_000];

    /// <summary>Gets or sets how long a boost pack lasts; <see langword="null"/> (the default) means it never expires.</summary>
    public TimeSpan? BoostPackLifetime { get; set; }

    /// <summary>Gets or sets the time a reservation is held before the ledger releases it. Default: 2 minutes.</summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the longest reservation TTL a caller may ask for. Default: 1 hour.</summary>
    public TimeSpan MaxReservationTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets the usage thresholds, in percent of the monthly allocation, that raise an event once per period. Defaults: 75, 90, 100.</summary>
    public IList<int> ThresholdPercents { get; } = [75, 90, 100];

    /// <summary>Gets or sets the most credits one reservation may hold. Larger requests are refused as malformed. Default: 1,000,000.</summary>
    public long MaxCreditsPerRequest { get; set; } = 1_000_000;

    /// <summary>Gets or sets the time zone of new workspaces that do not name one. Default: <c>UTC</c>.</summary>
    public string DefaultTimeZoneId { get; set; } = "UTC";

    /// <summary>Checks the options and returns the problems found; an empty list means valid.</summary>
    /// <returns>One message per problem, naming the setting and what is allowed.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Plans.Count == 0)
        {
            errors.Add("CreditLedgerOptions.Plans is empty: configure at least one plan.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var plan in Plans)
        {
            if (plan is null || string.IsNullOrWhiteSpace(plan.Name))
            {
                errors.Add("CreditLedgerOptions.Plans contains a plan without a name.");
                continue;
            }

            if (!names.Add(plan.Name))
            {
                errors.Add($"CreditLedgerOptions.Plans names '{plan.Name}' twice: plan names must be unique.");
            }

            if (plan.MonthlyCredits is < 0 or > MaxCredits)
            {
                errors.Add($"CreditLedgerOptions.Plans: plan '{plan.Name}' has MonthlyCredits {plan.MonthlyCredits}: use 0 (a plan without AI) to {MaxCreditsText}.");
            }
        }

        if (Costs.Count == 0)
        {
            errors.Add("CreditLedgerOptions.Costs is empty: price at least one AI feature.");
        }

        foreach (var (feature, cost) in Costs)
        {
            if (feature.IsEmpty)
            {
                errors.Add("CreditLedgerOptions.Costs contains the empty feature.");
            }
            else if (cost <= 0 || cost > MaxCreditsPerRequest)
            {
                errors.Add($"CreditLedgerOptions.Costs['{feature}'] is {cost}: a cost must be between 1 and MaxCreditsPerRequest ({MaxCreditsPerRequest}).");
            }
        }

        if (BoostPackSizes.Any(size => size is <= 0 or > MaxCredits))
        {
            errors.Add($"CreditLedgerOptions.BoostPackSizes must contain only sizes from 1 to {MaxCreditsText}.");
        }

        if (BoostPackLifetime is { } lifetime && lifetime <= TimeSpan.Zero)
        {
            errors.Add("CreditLedgerOptions.BoostPackLifetime must be positive, or null for packs that never expire.");
        }

        if (ReservationTtl <= TimeSpan.Zero || ReservationTtl > MaxReservationTtl)
        {
            errors.Add($"CreditLedgerOptions.ReservationTtl ({ReservationTtl}) must be positive and at most MaxReservationTtl ({MaxReservationTtl}).");
        }

        if (ThresholdPercents.Any(p => p is <= 0 or > 100))
        {
            errors.Add("CreditLedgerOptions.ThresholdPercents must be between 1 and 100.");
        }

        if (MaxCreditsPerRequest is <= 0 or > MaxCredits)
        {
            errors.Add($"CreditLedgerOptions.MaxCreditsPerRequest is {MaxCreditsPerRequest}: use 1 to {MaxCreditsText}.");
        }

        try
        {
            BillingCalendar.FindTimeZone(DefaultTimeZoneId);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"CreditLedgerOptions.DefaultTimeZoneId: {ex.Message}");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid credit ledger options: " + string.Join(" ", errors));
        }
    }
}
