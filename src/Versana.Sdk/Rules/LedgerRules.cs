namespace Versana.Sdk;

/// <summary>
/// The credit rules as pure functions of (state, request, now): no I/O, no clock, no randomness.
/// </summary>
internal static class LedgerRules
{
    /// <summary>A free boost pack, as the spending order sees it.</summary>
    internal readonly record struct BoostBucket(string Id, long Free, DateTimeOffset? ExpiresAt, DateTimeOffset PurchasedAt);

    /// <summary>
    /// Splits a hold over the buckets: the monthly allocation first, then boost packs, earliest expiry
    /// first (packs that never expire last, older purchases first). <paramref name="boosts"/> come in purchase
    /// order and the sort is stable, so packs bought in the same instant are spent in the order they were bought:
    /// never by their ids, which are random, or the same history could be decided two ways.
    /// </summary>
    public static CreditPart[] SplitHold(long credits, long monthlyFree, IReadOnlyList<BoostBucket> boosts)
    {
        if (credits <= monthlyFree)
        {
            return [new CreditPart(CreditPart.MonthlyBucket, credits)];
        }

        var parts = new List<CreditPart>(2);
        var monthly = Math.Min(credits, Math.Max(monthlyFree, 0));
        if (monthly > 0)
        {
            parts.Add(new CreditPart(CreditPart.MonthlyBucket, monthly));
        }

        var rest = credits - monthly;
        if (rest > 0)
        {
            foreach (var boost in boosts.Where(b => b.Free > 0)
                .OrderBy(b => b.ExpiresAt ?? DateTimeOffset.MaxValue)
                .ThenBy(b => b.PurchasedAt))
            {
                var take = Math.Min(rest, boost.Free);
                parts.Add(new CreditPart(boost.Id, take));
                rest -= take;
                if (rest == 0)
                {
                    break;
                }
            }
        }

        if (rest != 0)
        {
            throw new InvalidOperationException("The buckets hold fewer credits than the hold needs; check availability first.");
        }

        return [.. parts];
    }

    /// <summary>Splits a charge of <paramref name="actual"/> over a reservation's held parts, in their order.</summary>
    public static CreditPart[] SplitCharge(CreditPart[] held, long actual)
    {
        if (actual == 0)
        {
            return [];
        }

        if (held.Length == 1 && held[0].Credits == actual)
        {
            return held;
        }

        var parts = new List<CreditPart>(held.Length);
        var rest = actual;
        foreach (var part in held)
        {
            var take = Math.Min(rest, part.Credits);
            if (take > 0)
            {
                parts.Add(new CreditPart(part.Bucket, take));
                rest -= take;
            }

            if (rest == 0)
            {
                break;
            }
        }

        return [.. parts];
    }

    /// <summary>Whether the automation switch refuses <paramref name="feature"/>: checked after the plan, before credits.</summary>
    public static bool RefusesForAutomation(AiFeature feature, bool automationEnabled)
        => feature == AiFeature.AutomatedResponse && !automationEnabled;

    /// <summary>Decides whether an action may take credits, and if not, why and until when.</summary>
    public static CreditDenial? CheckAccess(
        AiFeature feature,
        long credits,
        bool planIncludesAi,
        bool automationEnabled,
        long available,
        DateTimeOffset periodEnd,
        bool nextPeriodIncludesAi,
        IReadOnlyList<long> boostPackSizes)
    {
        if (!planIncludesAi)
        {
            return new CreditDenial(CreditDenialReason.PlanExcludesAi, "AI credits are not included in this plan. Upgrade to access AI features.")
            {
                Feature = feature,
                Requested = credits,
                Available = 0,
            };
        }

        if (RefusesForAutomation(feature, automationEnabled))
        {
            return new CreditDenial(CreditDenialReason.AutomationNotActivated, "Automated responses are not activated for this workspace. Activate automation in the workspace settings.")
            {
                Feature = feature,
                Requested = credits,
                Available = available,
            };
        }

        if (credits > available)
        {
            var resumesAt = nextPeriodIncludesAi ? periodEnd : (DateTimeOffset?)null;
            return new CreditDenial(
                CreditDenialReason.CreditsExhausted,
                resumesAt is null
                    ? $"AI features are paused: {feature} needs {credits} credits and {available} are available. Buy a boost pack to continue."
                    : $"AI features are paused: {feature} needs {credits} credits and {available} are available. They resume at the refresh on {resumesAt:u}, or at once with a boost pack.")
            {
                Feature = feature,
                Requested = credits,
                Available = available,
                ResumesAt = resumesAt,
                BoostPackSizes = boostPackSizes,
            };
        }

        return null;
    }

    /// <summary>Decides when a plan change applies: an upgrade (more credits) at once, a downgrade at the next period.</summary>
    public static bool AppliesImmediately(long currentPlanCredits, long newPlanCredits) => newPlanCredits >= currentPlanCredits;

    /// <summary>Returns the thresholds (sorted ascending) that usage has reached and that were not raised yet this period.</summary>
    public static List<int>? ThresholdsReached(long used, long allocation, List<int> alreadyCrossed, int[] thresholds)
    {
        List<int>? reached = null;
        if (allocation <= 0)
        {
            return reached;
        }

        foreach (var percent in thresholds)
        {
            // used / allocation >= percent / 100, in integers so 2,999 of 3,000 is not 100%.
            if (used * 100 < (long)percent * allocation)
            {
                break;
            }

            if (!alreadyCrossed.Contains(percent))
            {
                (reached ??= []).Add(percent);
            }
        }

        return reached;
    }

    /// <summary>Decides whether the workspace is paused: its cheapest enabled feature cannot run.</summary>
    public static CreditDenialReason? PauseReason(bool planIncludesAi, long available, long cheapestEnabledCost)
    {
        if (!planIncludesAi)
        {
            return CreditDenialReason.PlanExcludesAi;
        }

        return available < cheapestEnabledCost ? CreditDenialReason.CreditsExhausted : null;
    }
}
