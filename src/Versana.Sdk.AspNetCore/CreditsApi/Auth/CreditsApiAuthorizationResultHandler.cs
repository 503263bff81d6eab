using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Answers the credits API's refusals as problem details: 401 without a valid key, 404 for another
/// workspace (its existence is not confirmed), 403 for admin routes. Other endpoints get the default.
/// </summary>
internal sealed class CreditsApiAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || context.GetEndpoint()?.Metadata.GetMetadata<CreditsApiMarker>() is null)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var authenticated = context.User.Identity?.IsAuthenticated == true;
        var admin = context.GetEndpoint()!.Metadata.GetMetadata<CreditsApiMarker>()!.AdminOnly;
        var problem = !authenticated
            ? new Microsoft.AspNetCore.Mvc.ProblemDetails { Type = CreditProblemTypes.Unauthorized, Title = "A valid API key is required", Status = StatusCodes.Status401Unauthorized, Detail = "Send the workspace's API key as 'Authorization: Bearer vk_...'." }
            : admin
                ? new Microsoft.AspNetCore.Mvc.ProblemDetails { Type = CreditProblemTypes.Forbidden, Title = "The admin key is required", Status = StatusCodes.Status403Forbidden }
                : new Microsoft.AspNetCore.Mvc.ProblemDetails { Type = CreditProblemTypes.WorkspaceNotFound, Title = "Workspace not found", Status = StatusCodes.Status404NotFound };
        if (!authenticated)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return CreditProblems.WriteAsync(context, problem);
    }
}

/// <summary>Endpoint metadata marking the credits API's endpoints (and whether only the admin may call one).</summary>
internal sealed record CreditsApiMarker(bool AdminOnly);
