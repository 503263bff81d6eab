using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Versana.Server.Tests;

/// <summary>
/// The API's policies take the authentication middleware's user when the API key scheme is the app's default,
/// and authenticate the API key scheme themselves when the app's default is another scheme, so the app's own
/// signed-in user never reaches the API.
/// </summary>
public sealed class CreditsApiPoliciesTests
{
    private const string AdminKey = "va_policies-test-admin-key-0123456789abcdef";
    private const string AppScheme = "App";

    [Fact]
    public async Task WithTheApiKeySchemeAsTheDefault_ThePoliciesTakeTheMiddlewaresUser_WithoutAuthenticatingAgain()
    {
        var (app, url) = await StartAsync(configureAuthentication: null);
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = url };
        var key = await SlimApiApp.CreateWorkspaceAsync(http, AdminKey, "acme");

        Assert.All(Policies(app), p => Assert.Empty(p.AuthenticationSchemes));

        // A policy that names a scheme authenticates it again (after the middleware did) and replaces the user
        // with a merged copy; the user the middleware made is taken as it is.
        using var whoami = await SendAsync(http, "app/acme/whoami", key);
        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        Assert.Equal("acme by VersanaApiKey, authenticated 1 time(s)", await whoami.Content.ReadAsStringAsync());

        await AssertTheApiIsIsolatedAsync(http, key, appUserSignedIn: false);
    }

    [Theory]
    [InlineData("default", 1)]
    [InlineData("challenge", 2)] // the middleware authenticates the API key too, as the app's default for that
    public async Task WithAnotherSchemeAsTheAppsDefault_ThePoliciesAuthenticateTheApiKeyScheme(string otherDefault, int authentications)
    {
        var (app, url) = await StartAsync(o =>
        {
            if (otherDefault == "default")
            {
                o.DefaultScheme = AppScheme;
            }
            else
            {
                // Authenticating by the API key but challenging by the app's scheme would send the API's 401s
                // to the app's sign-in: the policies still name their own scheme.
                o.DefaultAuthenticateScheme = ApiKeyAuthenticationHandler.SchemeName;
                o.DefaultChallengeScheme = AppScheme;
            }
        });
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = url };
        var key = await SlimApiApp.CreateWorkspaceAsync(http, AdminKey, "acme");

        Assert.All(Policies(app), p => Assert.Equal([ApiKeyAuthenticationHandler.SchemeName], p.AuthenticationSchemes));

        using var whoami = await SendAsync(http, "app/acme/whoami", key);
        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        Assert.Equal($"acme by VersanaApiKey, authenticated {authentications} time(s)", await whoami.Content.ReadAsStringAsync());

        // The app's scheme signs every request in as its own user; that user is not a workspace.
        await AssertTheApiIsIsolatedAsync(http, key, appUserSignedIn: otherDefault == "default");
    }

    private static async Task AssertTheApiIsIsolatedAsync(HttpClient http, string key, bool appUserSignedIn)
    {
        using var own = await SendAsync(http, "v1/workspaces/acme/balance", key);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);

        using var other = await SendAsync(http, "v1/workspaces/other/balance", key);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);

        using var admin = await SendAsync(http, "v1/workspaces/acme/api-keys", key, HttpMethod.Post);
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);

        using var anonymous = await SendAsync(http, "v1/workspaces/acme/balance", key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);

        // An app endpoint behind the workspace policy is challenged by the API key scheme, not the app's.
        using var appEndpoint = await SendAsync(http, "app/acme/whoami", key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, appEndpoint.StatusCode);
        Assert.Equal("Bearer", appEndpoint.Headers.WwwAuthenticate.Single().Scheme);

        using var appUser = await SendAsync(http, "app/me", key: null);
        Assert.Equal(appUserSignedIn ? "alice" : "", await appUser.Content.ReadAsStringAsync());
    }

    private static IEnumerable<AuthorizationPolicy> Policies(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value;
        return [options.GetPolicy(WorkspaceAccessRequirement.Policy)!, options.GetPolicy(WorkspaceAccessRequirement.AdminPolicy)!];
    }

    private static Task<(WebApplication App, Uri Url)> StartAsync(Action<AuthenticationOptions>? configureAuthentication)
        => SlimApiApp.StartAsync(
            services =>
            {
                services.AddVersana().UseInMemoryLedger().AddCreditsApi(o => o.AdminKey = AdminKey);
                services.AddScoped<IAuthenticationService, CountingAuthenticationService>();
                if (configureAuthentication is not null)
                {
                    services.AddAuthentication(configureAuthentication).AddScheme<AuthenticationSchemeOptions, AliceHandler>(AppScheme, null);
                }
            },
            app =>
            {
                app.MapGet("/app/me", (HttpContext context) => context.User.Identity?.Name ?? "");
                app.MapGet("/app/{workspaceId}/whoami", (HttpContext context) =>
                {
                    var user = context.User.FindFirst(CreditsApiOptions.WorkspaceClaimType)?.Value;
                    return $"{user} by {context.User.Identity?.AuthenticationType}, authenticated {context.Items[CountingAuthenticationService.Key]} time(s)";
                }).RequireAuthorization(WorkspaceAccessRequirement.Policy);
            });

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string? key, HttpMethod? method = null)
        => method == HttpMethod.Post
            ? SlimApiApp.SendAsync(http, method, path, key, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))
            : SlimApiApp.SendAsync(http, method ?? HttpMethod.Get, path, key);

    /// <summary>The framework's authentication service, counting on the request how often the API key scheme is authenticated.</summary>
    private sealed class CountingAuthenticationService(IAuthenticationSchemeProvider schemes, IAuthenticationHandlerProvider handlers, IClaimsTransformation transform, IOptions<AuthenticationOptions> options)
        : AuthenticationService(schemes, handlers, transform, options)
    {
        public const string Key = "versana-test:api-key-authentications";

        public override async Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
        {
            if ((scheme ?? (await Schemes.GetDefaultAuthenticateSchemeAsync())?.Name) == ApiKeyAuthenticationHandler.SchemeName)
            {
                context.Items[Key] = (context.Items[Key] as int? ?? 0) + 1;
            }

            return await base.AuthenticateAsync(context, scheme);
        }
    }

    /// <summary>The app's own scheme: signs every request in as "alice", as a cookie would.</summary>
    private sealed class AliceHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
            => Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], Scheme.Name)), Scheme.Name)));
    }
}
