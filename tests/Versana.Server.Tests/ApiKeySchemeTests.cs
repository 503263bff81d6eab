using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Versana.Server.Tests;

/// <summary>
/// The API key scheme outside the credits API's own endpoints: an app's endpoint that requires the Versana
/// policies gets the scheme's challenge (401 with <c>WWW-Authenticate: Bearer</c>) and forbid (403), and a
/// request is authenticated once however many times it is asked.
/// </summary>
public sealed class ApiKeySchemeTests : IAsyncLifetime
{
    private const string AdminKey = "va_scheme-test-admin-key-0123456789abcdef";
    private WebApplication _app = null!;
    private CountingKeyStore _keys = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        _keys = new CountingKeyStore();
        (_app, _url) = await SlimApiApp.StartAsync(
            services =>
            {
                services.AddSingleton<IApiKeyStore>(_keys);
                services.AddVersana().UseInMemoryLedger().AddCreditsApi(o => o.AdminKey = AdminKey);
            },
            app =>
            {
                app.MapGet("/app/admin-only", (HttpContext context) => context.User.Identity!.Name).RequireAuthorization("VersanaAdmin");
                app.MapGet("/app/{workspaceId}/whoami", (HttpContext context) => string.Join('|', context.User.Claims.Select(c => $"{c.Type}={c.Value}")))
                    .RequireAuthorization("VersanaWorkspace");
            });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AnAppEndpoint_GetsTheSchemesChallengeAndForbid()
    {
        using var http = new HttpClient { BaseAddress = _url };
        var workspaceKey = await CreateWorkspaceAsync(http);

        using var anonymous = await http.GetAsync("app/admin-only");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);

        using var wrong = await SendAsync(http, "vk_nope_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var workspace = await SendAsync(http, workspaceKey);
        Assert.Equal(HttpStatusCode.Forbidden, workspace.StatusCode);
        Assert.Empty(workspace.Headers.WwwAuthenticate);

        using var admin = await SendAsync(http, AdminKey);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal("admin", await admin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ARequest_IsAuthenticatedOnce_ThoughTheMiddlewareAndThePolicyBothAsk()
    {
        using var http = new HttpClient { BaseAddress = _url };
        var workspaceKey = await CreateWorkspaceAsync(http);

        // The key cache keeps found keys, so the store sees a key once; a key it does not know reaches it on
        // every request, once per request.
        var before = _keys.Lookups;
        using var unknown = new HttpRequestMessage(HttpMethod.Get, "v1/workspaces/acme/balance");
        unknown.Headers.Authorization = new("Bearer", "vk_unknownid_secret");
        using var refused = await http.SendAsync(unknown);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(before + 1, _keys.Lookups);

        using var balance = new HttpRequestMessage(HttpMethod.Get, "v1/workspaces/acme/balance");
        balance.Headers.Authorization = new("Bearer", workspaceKey);
        using var answered = await http.SendAsync(balance);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task AWorkspaceKey_IsItsWorkspaceAndKeyId_FromEitherHeader_AndOnlyForItsWorkspace()
    {
        using var http = new HttpClient { BaseAddress = _url };
        var workspaceKey = await CreateWorkspaceAsync(http);
        var keyId = workspaceKey.Split('_')[1];
        var expected = $"{CreditsApiOptions.WorkspaceClaimType}=acme|{System.Security.Claims.ClaimTypes.Name}={keyId}";

        // The scheme's name is matched in any case and the key is trimmed, as before it was read in place.
        foreach (var (header, value) in new[] { ("Authorization", $"Bearer {workspaceKey}"), ("Authorization", $"bearer   {workspaceKey}"), ("X-Api-Key", workspaceKey) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "app/acme/whoami");
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        }

        using var other = new HttpRequestMessage(HttpMethod.Get, "app/other/whoami");
        other.Headers.Authorization = new("Bearer", workspaceKey);
        using var forbidden = await http.SendAsync(other);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        // A key whose secret is cut off, or whose id is empty, is refused like any wrong key.
        foreach (var broken in new[] { workspaceKey[..(workspaceKey.LastIndexOf('_') + 1)], "vk__" + workspaceKey.Split('_', 3)[2] })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "app/acme/whoami");
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {broken}");
            using var refused = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    [Fact]
    public void TheWorkspaceRequirement_IsCheckedByItself_NotAlsoAsARegisteredHandler()
    {
        // The policy's requirement is its own handler, which the pass-through handler runs. Registered as an
        // IAuthorizationHandler too, it ran a second time on every request.
        Assert.DoesNotContain(_app.Services.GetServices<Microsoft.AspNetCore.Authorization.IAuthorizationHandler>(), h => h is WorkspaceAccessRequirement);
        var policy = _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>>().Value.GetPolicy(WorkspaceAccessRequirement.Policy)!;
        // It is the policy's only requirement: it checks authentication itself (see WorkspaceAccessRequirementTests).
        Assert.IsType<WorkspaceAccessRequirement>(Assert.Single(policy.Requirements));
    }

    private static Task<string> CreateWorkspaceAsync(HttpClient http) => SlimApiApp.CreateWorkspaceAsync(http, AdminKey, "acme");

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string key) => SlimApiApp.SendAsync(http, HttpMethod.Get, "app/admin-only", key);

    private sealed class CountingKeyStore : IApiKeyStore
    {
        private readonly InMemoryApiKeyStore _inner = new();
        private int _lookups;

        public int Lookups => Volatile.Read(ref _lookups);

        public ValueTask AddAsync(StoredApiKey key, CancellationToken cancellationToken) => _inner.AddAsync(key, cancellationToken);

        public ValueTask<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _lookups);
            return _inner.FindAsync(keyId, cancellationToken);
        }
    }
}
