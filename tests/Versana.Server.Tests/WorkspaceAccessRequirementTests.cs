using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Versana.Server.Tests;

/// <summary>
/// The workspace requirement on its own: it is the policy's only requirement, so it asks for an authenticated
/// user itself, and a workspace key passes only for the workspace in the route.
/// </summary>
public sealed class WorkspaceAccessRequirementTests
{
    [Theory]
    [InlineData(true, "acme", null, "acme", true)]
    [InlineData(true, "acme", null, "other", false)]
    [InlineData(true, null, ApiKeyAuthenticationHandler.AdminRole, "other", true)]
    [InlineData(true, null, "some-other-role", "acme", false)]
    [InlineData(true, null, null, "acme", false)]
    [InlineData(false, "acme", null, "acme", false)] // the right claim, but no scheme vouched for it
    [InlineData(false, null, ApiKeyAuthenticationHandler.AdminRole, "acme", false)]
    public async Task AUser_PassesForTheRoutesWorkspace_OrAsAdmin_OnlyWhenAuthenticated(bool authenticated, string? workspace, string? role, string routeWorkspace, bool succeeds)
    {
        var claims = new List<Claim>();
        if (workspace is not null)
        {
            claims.Add(new Claim(CreditsApiOptions.WorkspaceClaimType, workspace));
        }

        if (role is not null)
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        var user = new ClaimsPrincipal(new ClaimsIdentity(claims, authenticated ? ApiKeyAuthenticationHandler.SchemeName : null));
        var http = new DefaultHttpContext();
        http.Request.RouteValues["workspaceId"] = routeWorkspace;
        var requirement = new WorkspaceAccessRequirement();
        var context = new AuthorizationHandlerContext([requirement], user, http);

        await requirement.HandleAsync(context);

        Assert.Equal(succeeds, context.HasSucceeded);
    }

    [Fact]
    public async Task WithoutAWorkspaceInTheRoute_OnlyTheAdminPasses()
    {
        var requirement = new WorkspaceAccessRequirement();
        var workspaceUser = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CreditsApiOptions.WorkspaceClaimType, "acme")], ApiKeyAuthenticationHandler.SchemeName));
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, ApiKeyAuthenticationHandler.AdminRole)], ApiKeyAuthenticationHandler.SchemeName));

        var asWorkspace = new AuthorizationHandlerContext([requirement], workspaceUser, new DefaultHttpContext());
        await requirement.HandleAsync(asWorkspace);
        var asAdmin = new AuthorizationHandlerContext([requirement], admin, resource: null);
        await requirement.HandleAsync(asAdmin);

        Assert.False(asWorkspace.HasSucceeded);
        Assert.True(asAdmin.HasSucceeded);
    }
}
