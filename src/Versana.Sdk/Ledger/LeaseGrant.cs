namespace Versana.Sdk.Ledger;

/// <summary>What the ledger decided about a process's credit lease (lease mode), for the process serving from it.</summary>
/// <param name="LeaseId">The lease.</param>
/// <param name="IsOpen">Whether the lease is open after the decision (<see langword="false"/>: returned, expired, or none could be taken).</param>
/// <param name="Held">The credits the ledger holds for the lease after the decision.</param>
/// <param name="Settled">The credits of the lease's durable charges this decision turned into commits.</param>
/// <param name="ExpiresAt">When the lease expires unless renewed.</param>
/// <param name="PeriodStart">The billing period the lease's monthly credits belong to.</param>
/// <param name="PeriodEnd">When that period ends: reservations are no longer served from the lease from then.</param>
/// <param name="Policy">The workspace's rules at decision time, for deciding reservations locally.</param>
/// <param name="Balance">The pool's balance after the decision (credits held by leases count as held).</param>
internal sealed record LeaseGrant(
    string LeaseId,
    bool IsOpen,
    long Held,
    long Settled,
    DateTimeOffset ExpiresAt,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    LeasePolicy Policy,
    CreditBalance Balance);

/// <summary>The workspace's rules a lease-mode process applies to the reservations it serves locally.</summary>
/// <param name="IncludesAi">Whether the plan includes AI features.</param>
/// <param name="AutomationEnabled">Whether automated responses are activated.</param>
/// <param name="Costs">The effective cost of each known feature, by feature name (case-insensitive).</param>
/// <param name="CheapestCost">The cost of the cheapest feature the rules let run: below it, the pool is paused.</param>
internal sealed record LeasePolicy(bool IncludesAi, bool AutomationEnabled, IReadOnlyDictionary<string, long> Costs, long CheapestCost);
