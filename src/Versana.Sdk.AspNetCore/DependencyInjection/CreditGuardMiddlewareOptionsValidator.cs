using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

internal sealed class CreditGuardMiddlewareOptionsValidator : IValidateOptions<CreditGuardMiddlewareOptions>
{
    public ValidateOptionsResult Validate(string? name, CreditGuardMiddlewareOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.IdempotencyKeyHeader))
        {
            failures.Add("CreditGuardMiddlewareOptions.IdempotencyKeyHeader must name a header (default 'Idempotency-Key').");
        }

        if (string.IsNullOrWhiteSpace(options.BalanceHeader))
        {
            failures.Add("CreditGuardMiddlewareOptions.BalanceHeader must name a header (default 'Versana-Credits-Available').");
        }

        if (options.ReservationTtl is { } ttl && ttl <= TimeSpan.Zero)
        {
            failures.Add($"CreditGuardMiddlewareOptions.ReservationTtl must be positive; it is {ttl}. Leave it null for the ledger's default.");
        }

        if (options.ResolveWorkspace is null && options.WorkspaceRouteValue is null && options.WorkspaceClaimType is null && options.WorkspaceHeader is null)
        {
            failures.Add("CreditGuardMiddlewareOptions names no way to find a request's workspace: set ResolveWorkspace, WorkspaceRouteValue, WorkspaceClaimType or WorkspaceHeader.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
