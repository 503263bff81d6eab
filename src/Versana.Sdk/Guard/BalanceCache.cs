using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Versana.Sdk.Rules;

namespace Versana.Sdk;

/// <summary>
/// The newest balance seen for each workspace, and the refusals to repeat without asking the ledger.
/// Fed by every ledger reply (see <see cref="CachingCreditLedger"/>); never consulted to grant anything.
/// </summary>
internal sealed class BalanceCache : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _memoMaxAge;

    public BalanceCache(TimeProvider timeProvider, IOptions<VersanaOptions> options)
    {
        _timeProvider = timeProvider;
        _memoMaxAge = options.Value.PauseMemoMaxAge;
    }

    public CreditBalance? TryGetBalance(string workspaceId, TimeSpan maxAge)
    {
        if (!_cache.TryGetValue(workspaceId, out WorkspaceEntry? entry))
        {
            return null;
        }

        lock (entry!)
        {
            return entry.Balance is { } balance && _timeProvider.GetUtcNow() - balance.AsOf <= maxAge ? balance : null;
        }
    }

    /// <summary>Returns a remembered refusal that still applies to <paramref name="feature"/>, if any.</summary>
    public CreditDenial? TryGetRefusal(string workspaceId, AiFeature feature, long? credits)
    {
        if (!_cache.TryGetValue(workspaceId, out WorkspaceEntry? entry))
        {
            return null;
        }

        lock (entry!)
        {
            var now = _timeProvider.GetUtcNow();
            var available = entry.Balance?.Available;
            if (entry.Paused is { } paused && now < paused.Until && paused.CoversWhilePaused(feature, credits, entry.Balance))
            {
                // The pause was remembered from another call: it is said for this call's feature and amount, so a
                // feature whose price this process has not seen yet asks the ledger once.
                return (credits ?? PriceOf(entry, feature)) is { } asked
                    ? CreditRules.Restate(paused.Denial, feature, asked, available ?? paused.Denial.Available)
                    : null;
            }

            if (!entry.Features.TryGetValue(feature, out var refusal) || now >= refusal.Until || !refusal.Covers(credits))
            {
                return null;
            }

            return credits is { } amount && amount != refusal.Denial.Requested
                ? CreditRules.Restate(refusal.Denial, feature, amount, available ?? refusal.Denial.Available)
                : refusal.Denial;
        }
    }

    /// <summary>Remembers what <paramref name="feature"/> costs the workspace, as a reservation for its price showed.</summary>
    public void ObservePrice(string workspaceId, AiFeature feature, long credits)
    {
        var entry = GetOrCreate(workspaceId);
        lock (entry)
        {
            entry.Prices[feature] = credits;
        }
    }

    public void Observe(CreditBalance balance)
    {
        var entry = GetOrCreate(balance.WorkspaceId);
        lock (entry)
        {
            if (KeepNewer(entry, balance))
            {
                EndRefusalsCoveredBy(entry, balance);
            }
        }
    }

    /// <param name="denial">The denial.</param>
    /// <param name="balance">The balance it came with.</param>
    /// <param name="credits">The amount the refused call asked for, or <see langword="null"/> for the feature's price.</param>
    public void ObserveDenial(CreditDenial denial, CreditBalance balance, long? credits)
    {
        var entry = GetOrCreate(balance.WorkspaceId);
        lock (entry)
        {
            KeepNewer(entry, balance);
            if (credits is null)
            {
                entry.Prices[denial.Feature] = denial.Requested;
            }

            if (_memoMaxAge <= TimeSpan.Zero)
            {
                return;
            }

            var until = _timeProvider.GetUtcNow() + _memoMaxAge;
            if (denial.ResumesAt is { } resumesAt && resumesAt < until)
            {
                until = resumesAt;
            }

            if (denial.Reason == CreditDenialReason.PlanExcludesAi || (balance.Paused && denial.Reason == CreditDenialReason.CreditsExhausted))
            {
                // The cheapest feature cannot run: every feature is refused. Automation switched off refuses one
                // feature only, even in a paused workspace.
                entry.Paused = new Refusal(denial, until, credits);
            }
            else
            {
                entry.Features[denial.Feature] = new Refusal(denial, until, credits);
            }

            // Replies of concurrent calls arrive in any order: a newer reply (a release that gave credits back, say)
            // may already be here, and the refusal must not outlive it.
            if (entry.Balance is { } newest && newest.AsOf > balance.AsOf)
            {
                EndRefusalsCoveredBy(entry, newest);
            }
        }
    }

    /// <summary>Forgets the workspace's refusals and prices (a boost pack, a plan or settings change went through this process).</summary>
    public void ForgetRefusals(string workspaceId)
    {
        if (_cache.TryGetValue(workspaceId, out WorkspaceEntry? entry))
        {
            lock (entry!)
            {
                entry.Paused = null;
                entry.Features.Clear();
                entry.Prices.Clear();
            }
        }
    }

    public void Dispose() => _cache.Dispose();

    private static long? PriceOf(WorkspaceEntry entry, AiFeature feature) => entry.Prices.TryGetValue(feature, out var price) ? price : null;

    /// <summary>Ends the remembered refusals that <paramref name="balance"/> shows no longer hold.</summary>
    private static void EndRefusalsCoveredBy(WorkspaceEntry entry, CreditBalance balance)
    {
        if (!balance.Paused)
        {
            entry.Paused = null;
        }

        // A feature refused for lack of credits runs again once the pool covers its cost.
        // Removing the current entry while enumerating a dictionary is allowed.
        foreach (var (feature, refusal) in entry.Features)
        {
            if ((refusal.Denial.Reason == CreditDenialReason.CreditsExhausted && balance.Available >= refusal.Denial.Requested)
                || (refusal.Denial.Reason == CreditDenialReason.AutomationNotActivated && balance.AutomationEnabled))
            {
                entry.Features.Remove(feature);
            }
        }
    }

    /// <summary>Stores <paramref name="balance"/> unless a newer one is there; false when it was older.</summary>
    private static bool KeepNewer(WorkspaceEntry entry, CreditBalance balance)
    {
        if (entry.Balance is { } current && current.AsOf > balance.AsOf)
        {
            return false;
        }

        entry.Balance = balance;
        return true;
    }

    private WorkspaceEntry GetOrCreate(string workspaceId)
        => _cache.GetOrCreate(workspaceId, static e =>
        {
            e.Size = 1;
            e.SlidingExpiration = TimeSpan.FromHours(1);
            return new WorkspaceEntry();
        })!;

    /// <param name="Denial">The denial.</param>
    /// <param name="Until">When it stops being served from memory.</param>
    /// <param name="Credits">The amount the refused call asked for, or <see langword="null"/> for the feature's price.</param>
    private sealed record Refusal(CreditDenial Denial, DateTimeOffset Until, long? Credits)
    {
        /// <summary>
        /// Whether a call for <paramref name="credits"/> (null: the feature's price) would be refused too: a lack of
        /// credits only for as much or more than was refused (a price refused covers the price, an amount refused
        /// covers that amount and more); another reason whatever the amount.
        /// </summary>
        public bool Covers(long? credits)
            => Denial.Reason != CreditDenialReason.CreditsExhausted
                || (credits is { } asked ? asked >= Denial.Requested : Credits is null);

        /// <summary>
        /// Whether a call is refused by the workspace's pause: at any feature's price (none fits), or for more than
        /// was left; an amount that fits what was left is the ledger's to decide. A feature the automation switch
        /// refuses (per <paramref name="newest"/>) is refused for that first, as the ledger checks it before credits.
        /// </summary>
        public bool CoversWhilePaused(AiFeature feature, long? credits, CreditBalance? newest)
            => Denial.Reason != CreditDenialReason.CreditsExhausted
                || ((newest is null || !CreditRules.RefusesForAutomation(feature, newest.AutomationEnabled))
                    && (credits is not { } asked || asked > Denial.Available));
    }

    /// <summary>One workspace's memo; read and written under its own lock.</summary>
    private sealed class WorkspaceEntry
    {
        public CreditBalance? Balance { get; set; }

        public Refusal? Paused { get; set; }

        public Dictionary<AiFeature, Refusal> Features { get; } = [];

        /// <summary>Gets the features' prices as the ledger's replies showed them, so a refusal can be said for any of them.</summary>
        public Dictionary<AiFeature, long> Prices { get; } = [];
    }
}
