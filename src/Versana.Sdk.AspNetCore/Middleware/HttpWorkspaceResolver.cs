using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

/// <summary>Finds a request's workspace: the custom function, then the route value, the claim, the header, and last the configured default.</summary>
internal sealed class HttpWorkspaceResolver(IOptions<CreditGuardMiddlewareOptions> options, IOptions<VersanaOptions> versanaOptions)
{
    private readonly CreditGuardMiddlewareOptions _options = options.Value;

    public string? Resolve(HttpContext context)
    {
        if (_options.ResolveWorkspace?.Invoke(context) is { Length: > 0 } custom)
        {
            return custom;
        }

        if (_options.WorkspaceRouteValue is { } routeValue && context.Request.RouteValues.TryGetValue(routeValue, out var value)
            && value?.ToString() is { Length: > 0 } fromRoute)
        {
            return fromRoute;
        }

        // The authentication feature's user, not HttpContext.User: with nobody signed in, that getter builds an
        // empty principal on every request.
        if (_options.WorkspaceClaimType is { } claimType
            && context.Features.Get<IHttpAuthenticationFeature>()?.User?.FindFirst(claimType)?.Value is { Length: > 0 } fromClaim)
        {
            return fromClaim;
        }

        if (_options.WorkspaceHeader is { } header && context.Request.Headers[header].ToString() is { Length: > 0 } fromHeader)
        {
            return fromHeader;
        }

        return versanaOptions.Value.WorkspaceId;
    }
}
