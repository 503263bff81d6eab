using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

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

    // Most processes charge one workspace: comparing its id is cheaper than the memory cache's lookup, which reads
    // the clock to slide the entry's expiry. Being a cache, losing the entry to eviction only costs a fresh one.
    private RecentEntry? _recent;

    public BalanceCache(TimeProvider timeProvider, IOptions<VersanaOptions> options)
    {
        _timeProvider = timeProvider;
        _memoMaxAge = options.Value.PauseMemoMaxAge;
    }

    public CreditBalance? TryGetBalance(string workspaceId, TimeSpan maxAge)
        => Find(workspaceId) is { Balance: { } balance }
            && _timeProvider.GetUtcNow() - balance.AsOf <= maxAge
                ? balance.ToBalance()
                : null;

    /// <summary>Returns a remembered refusal that still applies to <paramref name="feature"/>, if any.</summary>
    public CreditDenial? TryGetRefusal(string workspaceId, AiFeature feature, long? credits)
    {
        if (Find(workspaceId) is not { } entry
            || (Volatile.Read(ref entry.Paused) is null && Volatile.Read(ref entry.Features) is null))
        {
            // Nothing remembered (the usual case): no need to read the clock.
            return null;
        }

        var now = _timeProvider.GetUtcNow();
        if (entry.Paused is { } paused && now < paused.Until && paused.CoversWhilePaused(feature, credits, Volatile.Read(ref entry.Balance)))
        {
            return paused.Denial;
        }

        var features = entry.Features;
        return features is not null && features.TryGetValue(feature, out var refusal) && now < refusal.Until && refusal.Covers(credits) ? refusal.Denial : null;
    }

    public void Observe(CreditBalance balance) => Observe(BalanceSnapshot.Of(balance));

    public void Observe(BalanceSnapshot balance)
    {
        var entry = GetOrCreate(balance.WorkspaceId);

        // The common case (no refusal remembered) swaps the reference without the lock: every reply of a hot
        // workspace passes here, and a lock would serialise them a second time after the ledger's own.
        if (Volatile.Read(ref entry.Features) is null && Volatile.Read(ref entry.Paused) is null)
        {
            KeepNewer(entry, balance);

            // Read again after the swap (a full fence): a refusal remembered meanwhile from an older reply must not
            // outlive this balance. ObserveDenial checks the other way round, so one of the two always sees the other.
            if (Volatile.Read(ref entry.Features) is null && Volatile.Read(ref entry.Paused) is null)
            {
                return;
            }
        }

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
    public void ObserveDenial(CreditDenial denial, BalanceSnapshot balance, long? credits)
    {
        Observe(balance);
        if (_memoMaxAge <= TimeSpan.Zero)
        {
            return;
        }

        var until = _timeProvider.GetUtcNow() + _memoMaxAge;
        if (denial.ResumesAt is { } resumesAt && resumesAt < until)
        {
            until = resumesAt;
        }

        var entry = GetOrCreate(balance.WorkspaceId);
        lock (entry)
        {
            if (denial.Reason == CreditDenialReason.PlanExcludesAi || (balance.Paused && denial.Reason == CreditDenialReason.CreditsExhausted))
            {
                // The cheapest feature cannot run: every feature is refused. Automation switched off refuses one
                // feature only, even in a paused workspace.
                entry.Paused = new Refusal(denial, until, credits);
            }
            else
            {
                entry.Features = new Dictionary<AiFeature, Refusal>(entry.Features ?? [])
                {
                    [denial.Feature] = new Refusal(denial, until, credits),
                };
            }

            // Replies of concurrent calls arrive in any order: a reply newer than this denial (a release that gave
            // credits back, say) may already be here, and the refusal must not outlive it.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref entry.Balance) is { } newest && newest.AsOf > balance.AsOf)
            {
                EndRefusalsCoveredBy(entry, newest);
            }
        }
    }

    /// <summary>Forgets the workspace's refusals (a boost pack, a plan or settings change went through this process).</summary>
    public void ForgetRefusals(string workspaceId)
    {
        if (Find(workspaceId) is { } entry)
        {
            lock (entry)
            {
                entry.Paused = null;
                entry.Features = null;
            }
        }
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>Ends the remembered refusals that <paramref name="balance"/> shows no longer hold; under the entry's lock.</summary>
    private static void EndRefusalsCoveredBy(WorkspaceEntry entry, BalanceSnapshot balance)
    {
        if (!balance.Paused)
        {
            entry.Paused = null;
        }

        if (entry.Features is { Count: > 0 } features)
        {
            // A feature refused for lack of credits runs again once the pool covers its cost.
            var next = new Dictionary<AiFeature, Refusal>(features);
            foreach (var (feature, refusal) in features)
            {
                if ((refusal.Denial.Reason == CreditDenialReason.CreditsExhausted && balance.Available >= refusal.Denial.Requested)
                    || (refusal.Denial.Reason == CreditDenialReason.AutomationNotActivated && balance.AutomationEnabled))
                {
                    next.Remove(feature);
                }
            }

            entry.Features = next.Count > 0 ? next : null;
        }
    }

    /// <summary>Stores <paramref name="balance"/> unless a newer one is there; false when it was older.</summary>
    private static bool KeepNewer(WorkspaceEntry entry, BalanceSnapshot balance)
    {
        while (true)
        {
            var current = Volatile.Read(ref entry.Balance);
            if (current is not null && current.AsOf > balance.AsOf)
            {
                return false;
            }

            if (ReferenceEquals(Interlocked.CompareExchange(ref entry.Balance, balance, current), current))
            {
                return true;
            }
        }
    }

    private WorkspaceEntry? Find(string workspaceId)
    {
        if (Volatile.Read(ref _recent) is { } recent && string.Equals(recent.WorkspaceId, workspaceId, StringComparison.Ordinal))
        {
            return recent.Entry;
        }

        if (!_cache.TryGetValue(workspaceId, out WorkspaceEntry? entry))
        {
            return null;
        }

        Volatile.Write(ref _recent, new RecentEntry(workspaceId, entry!));
        return entry;
    }

    private WorkspaceEntry GetOrCreate(string workspaceId)
    {
        if (Find(workspaceId) is { } found)
        {
            return found;
        }

        var entry = _cache.GetOrCreate(workspaceId, static e =>
        {
            e.Size = 1;
            e.SlidingExpiration = TimeSpan.FromHours(1);
            return new WorkspaceEntry();
        })!;
        Volatile.Write(ref _recent, new RecentEntry(workspaceId, entry));
        return entry;
    }

    /// <summary>The workspace looked up last, kept at hand for the next lookup.</summary>
    private sealed record RecentEntry(string WorkspaceId, WorkspaceEntry Entry);

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
        public bool CoversWhilePaused(AiFeature feature, long? credits, BalanceSnapshot? newest)
            => Denial.Reason != CreditDenialReason.CreditsExhausted
                || ((newest is null || !LedgerRules.RefusesForAutomation(feature, newest.AutomationEnabled))
                    && (credits is not { } asked || asked > Denial.Available));
    }

    /// <summary>Mutable under its own lock; readers see whole references (records and copied dictionaries).</summary>
    private sealed class WorkspaceEntry
    {
        // Fields, not properties: the lock-free path uses Volatile and Interlocked on them.
        public BalanceSnapshot? Balance;

        public Refusal? Paused;

        public Dictionary<AiFeature, Refusal>? Features;
    }
}
