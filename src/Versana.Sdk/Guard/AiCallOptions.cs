namespace Versana.Sdk;

/// <summary>
/// Per-call settings of a guarded AI action; every member is optional.
/// </summary>
public sealed record AiCallOptions
{
    /// <summary>Gets the workspace to charge; <see langword="null"/> asks the <see cref="IWorkspaceAccessor"/>.</summary>
    public string? WorkspaceId { get; init; }

    /// <summary>Gets who acts (an agent id, "automation"), recorded for reporting.</summary>
    public string? Actor { get; init; }

    /// <summary>Gets the credits to reserve; <see langword="null"/> reserves the feature's configured cost.</summary>
    public long? Credits { get; init; }

    /// <summary>Gets the idempotency key of this user action; <see langword="null"/> makes a new one per call.</summary>
    /// <remarks>Pass the same key when the same user action is retried, so a retry is never charged twice.</remarks>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets how long the credits may be held; <see langword="null"/> uses the ledger's default (2 minutes).</summary>
    public TimeSpan? Ttl { get; init; }
}
