using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Settings of the credit guard middleware: how a request's workspace is found, which headers it reads and
/// writes, and what a refusal looks like.
/// </summary>
public sealed class CreditGuardMiddlewareOptions
{
    /// <summary>Gets or sets a function that names the request's workspace; when it returns <see langword="null"/> the other sources are tried.</summary>
    public Func<HttpContext, string?>? ResolveWorkspace { get; set; }

    /// <summary>Gets or sets the route value that holds the workspace id; <see langword="null"/> turns it off. Default <c>workspaceId</c>.</summary>
    public string? WorkspaceRouteValue { get; set; } = "workspaceId";

    /// <summary>Gets or sets the claim of the authenticated user that holds the workspace id; <see langword="null"/> turns it off. Default <c>versana:workspace</c>.</summary>
    public string? WorkspaceClaimType { get; set; } = "versana:workspace";

    /// <summary>
    /// Gets or sets a request header that names the workspace. Off by default: the caller controls headers, so
    /// only use it behind a gateway that sets it after authenticating the caller.
    /// </summary>
    public string? WorkspaceHeader { get; set; }

    /// <summary>Gets or sets the request header carrying the idempotency key of a retried request. Default <c>Idempotency-Key</c>.</summary>
    public string IdempotencyKeyHeader { get; set; } = "Idempotency-Key";

    /// <summary>Gets or sets the response header that carries the workspace's available credits. Default <c>Versana-Credits-Available</c>.</summary>
    public string BalanceHeader { get; set; } = "Versana-Credits-Available";

    /// <summary>
    /// Gets or sets how long a request may hold its credits; <see langword="null"/> uses the ledger's default.
    /// Long streaming responses need it longer than they run, or the hold expires and the stream is not charged.
    /// </summary>
    public TimeSpan? ReservationTtl { get; set; }

    /// <summary>
    /// Gets or sets a callback run when a request is refused, after the status code and <c>Retry-After</c> are set.
    /// When it writes the response, the default problem details body is not written.
    /// </summary>
    public Func<CreditGuardRejectedContext, CancellationToken, ValueTask>? OnRejected { get; set; }
}
