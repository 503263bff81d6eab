using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore;

/// <summary>The caller acts for the workspace in the route (its key), or is the administrator.</summary>
internal sealed class WorkspaceAccessRequirement : AuthorizationHandler<WorkspaceAccessRequirement>, IAuthorizationRequirement
{
    public const string Policy = "VersanaWorkspace";
    public const string AdminPolicy = "VersanaAdmin";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, WorkspaceAccessRequirement requirement)
    {
        if (context.User.IsInRole(ApiKeyAuthenticationHandler.AdminRole))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http
            && http.Request.RouteValues.TryGetValue("workspaceId", out var routeValue)
            && routeValue?.ToString() is { } workspaceId
            && string.Equals(context.User.FindFirst(CreditsApiOptions.WorkspaceClaimType)?.Value, workspaceId, StringComparison.Ordinal))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
