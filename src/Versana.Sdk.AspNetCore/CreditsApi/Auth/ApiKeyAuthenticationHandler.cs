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
        var key = ReadKey(Context.Request);
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

    private static string? ReadKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return request.Headers["X-Api-Key"].ToString() is { Length: > 0 } header ? header : null;
    }

    private static AuthenticateResult Success(params Claim[] claims)
        => AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
}
