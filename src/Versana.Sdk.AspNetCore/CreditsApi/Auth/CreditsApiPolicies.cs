using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Adds the credits API's two policies (<see cref="WorkspaceAccessRequirement.Policy"/> and
/// <see cref="WorkspaceAccessRequirement.AdminPolicy"/>) once the app's authentication schemes are known.
/// </summary>
/// <remarks>
/// A policy that names a scheme makes the policy evaluator authenticate that scheme again on every request and
/// replace the user with a merged copy: a second result, ticket, properties and principal on every call of the
/// API. When the API key scheme is the app's default for authenticating, challenging and forbidding, the
/// authentication middleware has already made the user from it, so the policies name no scheme and take that
/// user. In an app whose default is another scheme (cookies for its own pages, say) the policies name the API
/// key scheme, so the app's signed-in user never reaches the API.
/// </remarks>
internal sealed class CreditsApiPolicies(IAuthenticationSchemeProvider schemes) : IConfigureOptions<AuthorizationOptions>
{
    public void Configure(AuthorizationOptions options)
    {
        var byDefault = IsApiKeyScheme(schemes.GetDefaultAuthenticateSchemeAsync())
            && IsApiKeyScheme(schemes.GetDefaultChallengeSchemeAsync())
            && IsApiKeyScheme(schemes.GetDefaultForbidSchemeAsync());

        options.AddPolicy(WorkspaceAccessRequirement.Policy, p => Authenticate(p, byDefault).AddRequirements(new WorkspaceAccessRequirement()));
        options.AddPolicy(WorkspaceAccessRequirement.AdminPolicy, p => Authenticate(p, byDefault).RequireRole(ApiKeyAuthenticationHandler.AdminRole));
    }

    private static AuthorizationPolicyBuilder Authenticate(AuthorizationPolicyBuilder policy, bool byDefault)
        => byDefault ? policy : policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName);

    // Options are configured synchronously, once. The framework's scheme provider answers from its options
    // without awaiting anything; a provider of the app's own that does await is waited for here, at start-up.
    private static bool IsApiKeyScheme(Task<AuthenticationScheme?> scheme)
        => scheme.GetAwaiter().GetResult()?.Name == ApiKeyAuthenticationHandler.SchemeName;
}
