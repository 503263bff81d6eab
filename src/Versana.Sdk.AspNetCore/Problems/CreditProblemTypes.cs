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

    /// <summary>409: a workspace with that id already exists.</summary>
    public const string WorkspaceExists = Base + "workspace-exists";

    /// <summary>404: the reservation does not exist in the workspace.</summary>
    public const string ReservationNotFound = Base + "reservation-not-found";

    /// <summary>409: the reservation is already completed, or expired, and cannot take this change.</summary>
    public const string ReservationConflict = Base + "reservation-conflict";

    /// <summary>409: an idempotency key was reused for a different request.</summary>
    public const string IdempotencyKeyReused = Base + "idempotency-key-reused";

    /// <summary>401: no API key, or one that is not valid.</summary>
    public const string Unauthorized = Base + "unauthorized";

    /// <summary>403: the caller's key may not do this (admin routes).</summary>
    public const string Forbidden = Base + "forbidden";

    /// <summary>413: the request body is larger than the API accepts.</summary>
    public const string PayloadTooLarge = Base + "payload-too-large";

    /// <summary>429: too many requests from this caller; <c>Retry-After</c> says when to try again.</summary>
    public const string TooManyRequests = Base + "too-many-requests";

    /// <summary>400: the request is malformed; nothing was changed.</summary>
    public const string InvalidRequest = Base + "invalid-request";

    /// <summary>400: a number is outside what the request may ask, such as a commit above its hold; nothing was changed.</summary>
    public const string OutOfRange = Base + "out-of-range";

    /// <summary>503: the ledger could not be reached; nothing was charged.</summary>
    public const string LedgerUnavailable = Base + "ledger-unavailable";
}
