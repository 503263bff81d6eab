using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Versana.Server.Tests;

/// <summary>
/// The credits API's rate limit is a policy of its own inside the app's rate limiter: one bucket per caller,
/// refused as a 429 problem, and the app's own policies and its global rejection handler left as they were.
/// </summary>
public sealed class RateLimitPolicyTests : IAsyncLifetime
{
    private const string AdminKey = "va_rate-limit-test-admin-key-0123456789abcdef";

    /// <summary>The app's own rejection handler: it marks the refusals it answers.</summary>
    private static readonly Func<OnRejectedContext, CancellationToken, ValueTask> s_appRejection = (rejected, _) =>
    {
        rejected.HttpContext.Response.Headers["X-App-Refusal"] = "yes";
        return ValueTask.CompletedTask;
    };

    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // The app configures its rate limiter first; the credits API's registration comes after and must not
        // replace what the app set.
        (_app, var url) = await SlimApiApp.StartAsync(
            services =>
            {
                services.AddRateLimiter(o =>
                {
                    o.OnRejected = s_appRejection;
                    o.AddFixedWindowLimiter("app", w =>
                    {
                        w.PermitLimit = 1;
                        w.Window = TimeSpan.FromHours(1);
                        w.QueueLimit = 0;
                    });
                });
                services.AddVersana().UseInMemoryLedger().AddCreditsApi(o =>
                {
                    o.AdminKey = AdminKey;
                    o.PermitsPerSecond = 1;
                    o.BurstPermits = 2;
                });
            },
            app => app.MapGet("/app/limited", () => "ok").RequireRateLimiting("app"));
        _http = new HttpClient { BaseAddress = url };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task EachCaller_HasItsOwnBucket_AndIsRefusedWithAProblem()
    {
        // Creating the workspaces spends the admin's two permits.
        var first = await CreateWorkspaceAsync("first");
        var second = await CreateWorkspaceAsync("second");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await BalancesAsync("first", first, 3));

        // Another key is another caller, with its bucket still full.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await BalancesAsync("second", second, 3));

        using var refused = await SendAsync(HttpMethod.Get, "v1/workspaces/first/balance", first);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(CreditProblemTypes.TooManyRequests, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.False(refused.Headers.Contains("X-App-Refusal"));
    }

    [Fact]
    public async Task CallersWithoutAValidKey_AreLimitedByAddress_HoweverTheyVaryTheKey()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await SendAsync(HttpMethod.Get, "v1/workspaces/first/balance", $"vk_0000000{i}_not-a-real-key");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses.Take(2));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses.Skip(2));
    }

    [Fact]
    public async Task TheAppsOwnPolicy_KeepsTheAppsRejectionHandler()
    {
        using var allowed = await _http.GetAsync("app/limited");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        using var refused = await _http.GetAsync("app/limited");
        Assert.Equal("yes", Assert.Single(refused.Headers.GetValues("X-App-Refusal")));
        Assert.NotEqual("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheApisRefusal_StaysAProblem_WhenTheAppSetsItsHandlerAfterwards()
    {
        // The other order: the API registered first, then the app's own rejection handler.
        var (app, url) = await SlimApiApp.StartAsync(services =>
        {
            services.AddVersana().UseInMemoryLedger().AddCreditsApi(o =>
            {
                o.AdminKey = AdminKey;
                o.PermitsPerSecond = 1;
                o.BurstPermits = 1;
            });
            services.AddRateLimiter(o => o.OnRejected = s_appRejection);
        });
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = url };

        // The admin's one permit creates the workspace; its next request is over the limit.
        var key = await SlimApiApp.CreateWorkspaceAsync(http, AdminKey, "acme");
        Assert.NotEmpty(key);
        using var create = SlimApiApp.CreateWorkspaceRequest(AdminKey, "other");
        using var refused = await http.SendAsync(create);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(CreditProblemTypes.TooManyRequests, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.False(refused.Headers.Contains("X-App-Refusal"));
    }

    private Task<string> CreateWorkspaceAsync(string workspaceId) => SlimApiApp.CreateWorkspaceAsync(_http, AdminKey, workspaceId);

    private async Task<HttpStatusCode[]> BalancesAsync(string workspaceId, string key, int count)
    {
        var statuses = new HttpStatusCode[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await SendAsync(HttpMethod.Get, $"v1/workspaces/{workspaceId}/balance", key);
            statuses[i] = response.StatusCode;
        }

        return statuses;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key) => SlimApiApp.SendAsync(_http, method, path, key);
}
