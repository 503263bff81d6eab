using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore;

/// <summary>The caller is authenticated and acts for the workspace in the route (its key), or is the administrator.</summary>
/// <remarks>
/// The requirement checks authentication itself rather than sitting beside <c>RequireAuthenticatedUser()</c>:
/// that is one more handler, with its own enumeration of the requirements, on every call of the API.
/// </remarks>
internal sealed class WorkspaceAccessRequirement : AuthorizationHandler<WorkspaceAccessRequirement>, IAuthorizationRequirement
{
    public const string Policy = "VersanaWorkspace";
    public const string AdminPolicy = "VersanaAdmin";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, WorkspaceAccessRequirement requirement)
    {
        // The workspace claim is looked at first: nearly every request carries a workspace key, and each look
        // walks the user's claims.
        if (context.User.Identity?.IsAuthenticated == true
            && (IsForRouteWorkspace(context) || context.User.IsInRole(ApiKeyAuthenticationHandler.AdminRole)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private static bool IsForRouteWorkspace(AuthorizationHandlerContext context)
        => context.Resource is HttpContext http
            && http.Request.RouteValues.TryGetValue("workspaceId", out var routeValue)
            && routeValue?.ToString() is { } workspaceId
            && string.Equals(context.User.FindFirst(CreditsApiOptions.WorkspaceClaimType)?.Value, workspaceId, StringComparison.Ordinal);
}
