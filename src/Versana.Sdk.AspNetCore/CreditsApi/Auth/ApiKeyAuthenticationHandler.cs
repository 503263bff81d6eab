using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Authenticates <c>Authorization: Bearer vk_...</c> (or <c>X-Api-Key</c>) as a workspace, and the admin key
/// as the administrator. A missing key is no result (anonymous); a wrong key is a failure.
/// </summary>
/// <remarks>
/// An <see cref="IAuthenticationHandler"/> of its own rather than an <c>AuthenticationHandler&lt;TOptions&gt;</c>:
/// the scheme has no options, events, forwarding or redirects, and the base class's per-request set-up (a logger
/// made from the factory under its lock, the options looked up, an events object, two more state machines) cost
/// as much as the key check itself on every call of the credits API. The handler is made per request, as every
/// scheme's is, and answers the middleware and the authorization policy from one check.
/// </remarks>
internal sealed class ApiKeyAuthenticationHandler(ApiKeyCache keys, IOptions<CreditsApiOptions> apiOptions) : IAuthenticationHandler
{
    public const string SchemeName = "VersanaApiKey";
    public const string AdminRole = "versana-admin";

    private HttpContext? _context;
    private Task<AuthenticateResult>? _result;

    private HttpContext Context => _context ?? throw new InvalidOperationException("The handler was not initialized.");

    /// <inheritdoc/>
    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<AuthenticateResult> AuthenticateAsync() => _result ??= AuthenticateOnceAsync();

    /// <inheritdoc/>
    public Task ChallengeAsync(AuthenticationProperties? properties)
    {
        Context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        Context.Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ForbidAsync(AuthenticationProperties? properties)
    {
        Context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private async Task<AuthenticateResult> AuthenticateOnceAsync()
    {
        // Every request carries a key, so it is read in place: a range of its header's string, not a copy.
        if (ReadKey(Context.Request) is not ({ } header, var range))
        {
            return AuthenticateResult.NoResult();
        }

        // The workspace key is tried first: it is what nearly every request carries, and each check costs a
        // SHA-256, so a workspace request pays for one hash instead of two. A key the store does not know falls
        // through to the admin check, so an admin key of any form still works.
        if (ApiKeys.TryParse(header.AsSpan(range), out var keyId, out var secretStart)
            && await keys.FindAsync(keyId.ToString(), Context.RequestAborted).ConfigureAwait(false) is { } stored
            && ApiKeys.Matches(header.AsSpan(range)[secretStart..], stored.SecretHash))
        {
            return Success(CreditsApiOptions.WorkspaceClaimType, stored.WorkspaceId, stored.KeyId);
        }

        if (apiOptions.Value.AdminKeyHash is { } adminHash && ApiKeys.Matches(header.AsSpan(range), adminHash))
        {
            return Success(ClaimTypes.Role, AdminRole, "admin");
        }

        return AuthenticateResult.Fail("The API key is not valid.");
    }

    /// <summary>The header holding the key, and where in it the key is: <c>Authorization: Bearer</c>, else <c>X-Api-Key</c>.</summary>
    private static (string? Header, Range Key) ReadKey(HttpRequest request)
    {
        const string Bearer = "Bearer ";
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            // The key trimmed as string.Trim would, but kept as a range of the header.
            var afterScheme = authorization.AsSpan(Bearer.Length);
            var start = Bearer.Length + afterScheme.Length - afterScheme.TrimStart().Length;
            return (authorization, start..(start + afterScheme.Trim().Length));
        }

        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? (header, Range.All) : (null, default);
    }

    // Claims made with the identity as their subject are kept as they are; any other claim is cloned when an
    // identity takes it, which would double the claims made on every request.
    private static AuthenticateResult Success(string claimType, string claimValue, string name)
    {
        var identity = new ClaimsIdentity(SchemeName);
        identity.AddClaim(new Claim(claimType, claimValue, ClaimValueTypes.String, ClaimsIdentity.DefaultIssuer, ClaimsIdentity.DefaultIssuer, identity));
        identity.AddClaim(new Claim(ClaimTypes.Name, name, ClaimValueTypes.String, ClaimsIdentity.DefaultIssuer, ClaimsIdentity.DefaultIssuer, identity));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
