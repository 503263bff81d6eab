namespace Versana.Sdk.Rules;

/// <summary>The spending order: which buckets a hold takes its credits from, and which of them a charge uses.</summary>
internal static partial class CreditRules
{
    /// <summary>
    /// Splits a hold over the buckets: the monthly allocation first, then boost packs, earliest expiry first (packs
    /// that never expire last), and packs with the same expiry in purchase order. The sort is stable over the
    /// purchase order, never the packs' ids, which are random: the same history is always decided the same way.
    /// </summary>
    /// <exception cref="InvalidOperationException">The buckets hold fewer credits than asked: check availability first.</exception>
    public static IReadOnlyList<CreditPart> SplitHold(AccountState account, long credits)
    {
        var parts = new List<CreditPart>(2);
        var monthly = Math.Min(credits, account.MonthlyFree);
        if (monthly > 0)
        {
            parts.Add(new CreditPart(CreditPart.MonthlyBucket, monthly));
        }

        var rest = credits - monthly;
        if (rest == 0)
        {
            return parts;
        }

        foreach (var boost in account.Boosts.Where(b => b.Free > 0).OrderBy(b => b.ExpiresAt ?? DateTimeOffset.MaxValue).ThenBy(b => b.PurchasedAt))
        {
            if (rest == 0)
            {
                break;
            }

            var take = Math.Min(rest, boost.Free);
            parts.Add(new CreditPart(boost.Id, take));
            rest -= take;
        }

        return rest == 0 ? parts : throw new InvalidOperationException("The buckets hold fewer credits than the hold needs; check availability first.");
    }

    /// <summary>
    /// Splits a charge of <paramref name="actual"/> credits over a reservation's held parts, in their order: what
    /// it charges and what it gives back.
    /// </summary>
    public static (IReadOnlyList<CreditPart> Charged, IReadOnlyList<CreditPart> Returned) SplitCharge(IReadOnlyList<CreditPart> held, long actual)
    {
        var charged = new List<CreditPart>(held.Count);
        var returned = new List<CreditPart>();
        var rest = actual;
        foreach (var part in held)
        {
            var take = Math.Min(rest, part.Credits);
            if (take > 0)
            {
                charged.Add(part with { Credits = take });
                rest -= take;
            }

            if (part.Credits > take)
            {
                returned.Add(part with { Credits = part.Credits - take });
            }
        }

        return (charged, returned);
    }
}
