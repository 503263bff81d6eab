namespace Versana.Sdk.Rules;

/// <summary>
/// Refusals and the pause: an action is refused whole (never partly charged) when the plan excludes AI, when it is an
/// automated response and automation is off, or when it costs more than is available; the workspace is paused while
/// its cheapest enabled feature cannot run.
/// </summary>
internal static partial class CreditRules
{
    /// <summary>Whether the automation switch refuses <paramref name="feature"/>: checked after the plan, before credits.</summary>
    public static bool RefusesForAutomation(AiFeature feature, bool automationEnabled)
        => feature == AiFeature.AutomatedResponse && !automationEnabled;

    /// <summary>Decides whether an action may take <paramref name="credits"/>; the denial names the feature and both amounts.</summary>
    public static CreditDenial? CheckAccess(AccountState account, AiFeature feature, long credits, CreditPolicy policy)
    {
        var available = account.Available;
        if (!policy.IncludesAi(account.Plan))
        {
            return new CreditDenial(CreditDenialReason.PlanExcludesAi, "AI credits are not included in this plan. Upgrade to access AI features.")
            {
                Feature = feature,
                Requested = credits,
                Available = 0,
            };
        }

        if (RefusesForAutomation(feature, account.AutomationEnabled))
        {
            return new CreditDenial(CreditDenialReason.AutomationNotActivated, "Automated responses are not activated for this workspace. Activate automation in the workspace settings.")
            {
                Feature = feature,
                Requested = credits,
                Available = available,
            };
        }

        if (credits <= available)
        {
            return null;
        }

        return Exhausted(feature, credits, available, ResumesAt(account, policy), policy.BoostPackSizes);
    }

    /// <summary>The refusal of <paramref name="feature"/> for <paramref name="credits"/> when only <paramref name="available"/> are left.</summary>
    public static CreditDenial Exhausted(AiFeature feature, long credits, long available, DateTimeOffset? resumesAt, IReadOnlyList<long> boostPackSizes)
    {
        var needs = $"AI features are paused: {feature} needs {Credits(credits)} and {available} {(available == 1 ? "is" : "are")} available.";
        return new CreditDenial(
            CreditDenialReason.CreditsExhausted,
            resumesAt is null
                ? $"{needs} Buy a boost pack to continue."
                : $"{needs} They resume at the refresh on {resumesAt:u}, or at once with a boost pack.")
        {
            Feature = feature,
            Requested = credits,
            Available = available,
            ResumesAt = resumesAt,
            BoostPackSizes = boostPackSizes,
        };
    }

    /// <summary>
    /// A refusal remembered from another call, stated for the call asking now: its feature, its amount and what is
    /// available now, as the ledger would have said it.
    /// </summary>
    public static CreditDenial Restate(CreditDenial remembered, AiFeature feature, long credits, long available)
        => remembered.Feature == feature && remembered.Requested == credits && remembered.Available == available ? remembered
            : remembered.Reason == CreditDenialReason.CreditsExhausted ? Exhausted(feature, credits, available, remembered.ResumesAt, remembered.BoostPackSizes)
            : remembered with { Feature = feature, Requested = credits };

    /// <summary>Decides whether the workspace is paused: its plan excludes AI, or its cheapest enabled feature cannot run.</summary>
    public static CreditDenialReason? PauseReason(AccountState account, CreditPolicy policy)
        => !policy.IncludesAi(account.Plan) ? CreditDenialReason.PlanExcludesAi
            : account.Available < policy.CheapestEnabledCost(account) ? CreditDenialReason.CreditsExhausted
            : null;

    /// <summary>The balance as of <paramref name="now"/>.</summary>
    public static CreditBalance Balance(AccountState account, DateTimeOffset now, CreditPolicy policy)
    {
        var pause = PauseReason(account, policy);
        return new CreditBalance
        {
            WorkspaceId = account.Id,
            Plan = account.Plan,
            PendingPlan = account.PendingPlan,
            PeriodStart = account.PeriodStart,
            PeriodEnd = account.PeriodEnd,
            Allocation = account.Allocation,
            Used = account.Used,
            Held = account.HeldMonthly + account.HeldBoost,
            MonthlyRemaining = account.Allocation - account.Used,
            BoostRemaining = account.BoostRemaining,
            Available = account.Available,
            Paused = pause is not null,
            PauseReason = pause,
            ResumesAt = pause == CreditDenialReason.CreditsExhausted ? ResumesAt(account, policy) : null,
            AutomationEnabled = account.AutomationEnabled,
            TimeZoneId = account.TimeZoneId,
            AsOf = now,
        };
    }

    /// <summary>"1 credit", "2 credits".</summary>
    public static string Credits(long credits) => credits == 1 ? "1 credit" : $"{credits} credits";

    /// <summary>A lack of credits ends at the refresh, unless the next period's plan excludes AI too.</summary>
    private static DateTimeOffset? ResumesAt(AccountState account, CreditPolicy policy)
        => policy.IncludesAi(account.PendingPlan ?? account.Plan) ? account.PeriodEnd : null;
}
