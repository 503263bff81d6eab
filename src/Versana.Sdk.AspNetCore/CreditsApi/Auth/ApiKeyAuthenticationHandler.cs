using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Authenticates <c>Authorization: Bearer vk_...</c> (or <c>X-Api-Key</c>) as a workspace, and the admin key
/// as the administrator. A missing key is no result (anonymous); a wrong key is a failure.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache keys,
    IOptions<CreditsApiOptions> apiOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "VersanaApiKey";
    public const string AdminRole = "versana-admin";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey();
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        // The workspace key is tried first: it is what nearly every request carries, and each check costs a
        // SHA-256, so a workspace request pays for one hash instead of two. A key the store does not know falls
        // through to the admin check, so an admin key of any form still works.
        if (ApiKeys.TryParse(key, out var keyId, out var secretStart)
            && await keys.FindAsync(keyId, Context.RequestAborted).ConfigureAwait(false) is { } stored
            && ApiKeys.Matches(key.AsSpan(secretStart), stored.SecretHash))
        {
            return Success(new Claim(CreditsApiOptions.WorkspaceClaimType, stored.WorkspaceId), new Claim(ClaimTypes.Name, keyId));
        }

        if (apiOptions.Value.AdminKeyHash is { } adminHash && ApiKeys.Matches(key, adminHash))
        {
            return Success(new Claim(ClaimTypes.Role, AdminRole), new Claim(ClaimTypes.Name, "admin"));
        }

        return AuthenticateResult.Fail("The API key is not valid.");
    }

    private string? ReadKey()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return Request.Headers["X-Api-Key"].ToString() is { Length: > 0 } header ? header : null;
    }

    private static AuthenticateResult Success(params Claim[] claims)
        => AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
}
