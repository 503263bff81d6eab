using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Versana.Server.Tests;

/// <summary>
/// An app of a test's own on a loopback port, with the credits API in its pipeline as its docs ask
/// (authentication, authorization, the rate limiter), for what the API does inside an app rather than the server.
/// </summary>
internal static class SlimApiApp
{
    /// <summary>Starts the app; <paramref name="services"/> registers the API (and the test's own services), <paramref name="map"/> adds the test's endpoints.</summary>
    public static async Task<(WebApplication App, Uri Url)> StartAsync(Action<IServiceCollection> services, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        services(builder.Services);
        var app = builder.Build();
        app.UseAuthentication();
        // Before authorization, so callers without a valid key are limited (by address) too.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapVersanaCreditsApi();
        map?.Invoke(app);
        await app.StartAsync();
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/"));
    }

    /// <summary>The admin's request that creates a workspace on the Starter plan.</summary>
    public static HttpRequestMessage CreateWorkspaceRequest(string adminKey, string workspaceId)
        => new(HttpMethod.Post, "v1/workspaces")
        {
            Content = JsonContent.Create(new { workspaceId, plan = "Starter" }),
            Headers = { Authorization = new("Bearer", adminKey) },
        };

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with <paramref name="key"/> as its bearer key (none when <see langword="null"/>).</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? key, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        return http.SendAsync(request);
    }

    /// <summary>Creates a workspace with the admin key and returns the workspace's API key.</summary>
    public static async Task<string> CreateWorkspaceAsync(HttpClient http, string adminKey, string workspaceId)
    {
        using var create = CreateWorkspaceRequest(adminKey, workspaceId);
        using var created = await http.SendAsync(create);
        return (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
    }
}
