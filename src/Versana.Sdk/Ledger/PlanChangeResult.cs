namespace Versana.Sdk;

/// <summary>
/// The outcome of a plan change. Upgrades apply at once; downgrades at the next refresh.
/// </summary>
/// <param name="Plan">The plan in force now.</param>
/// <param name="PendingPlan">The plan that takes over at the next refresh, if any.</param>
/// <param name="EffectiveAt">When the requested plan takes effect.</param>
/// <param name="Balance">The balance right after the change.</param>
public sealed record PlanChangeResult(string Plan, string? PendingPlan, DateTimeOffset EffectiveAt, CreditBalance Balance);
