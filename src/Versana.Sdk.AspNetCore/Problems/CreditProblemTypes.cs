namespace Versana.Sdk.AspNetCore;

/// <summary>
/// The stable <c>type</c> values of the RFC 9457 problem details the middleware and the credits API return;
/// each one is documented in <c>docs/problems.md</c>. Match on these, never on titles or messages.
/// </summary>
public static class CreditProblemTypes
{
    private const string Base = "https://github.com/versanacx/versana-sdk/blob/main/docs/problems.md#";

    /// <summary>402: the pool is used up until the refresh, or until a boost pack is bought.</summary>
    public const string CreditsExhausted = Base + "credits-exhausted";

    /// <summary>402: the workspace's plan has no AI credits.</summary>
    public const string PlanExcludesAi = Base + "plan-excludes-ai";

    /// <summary>403: automated responses are switched off for the workspace.</summary>
    public const string AutomationNotActivated = Base + "automation-not-activated";

    /// <summary>403: the request names no workspace the middleware can charge.</summary>
    public const string WorkspaceUnresolved = Base + "workspace-unresolved";

    /// <summary>404: the workspace does not exist (or the caller may not see it).</summary>
    public const string WorkspaceNotFound = Base + "workspace-not-found";

    /// <summary>409: an idempotency key was reused for a different request.</summary>
    public const string IdempotencyKeyReused = Base + "idempotency-key-reused";

    /// <summary>400: the request is malformed; nothing was changed.</summary>
    public const string InvalidRequest = Base + "invalid-request";

    /// <summary>503: the ledger could not be reached; nothing was charged.</summary>
    public const string LedgerUnavailable = Base + "ledger-unavailable";
}
