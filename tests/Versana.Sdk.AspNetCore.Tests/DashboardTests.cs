using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore.Tests;

public sealed class DashboardTests
{
    private static Task<GuardedApp> StartAsync() => GuardedApp.StartAsync(app => app.MapVersanaDashboard("/versana"));

    private static HttpRequestMessage Buy(long credits, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/versana/api/workspaces/acme/boost-packs") { Content = JsonContent.Create(new { credits }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    [Fact]
    public async Task Page_AndItsAssets_AreServedFromTheAssembly()
    {
        await using var app = await StartAsync();

        var page = await app.Client.GetStringAsync("/versana/?workspace=acme");
        using var chart = await app.Client.GetAsync("/versana/chart.umd.min.js");
        using var script = await app.Client.GetAsync("/versana/dashboard.js");

        Assert.Contains("<canvas id=\"trend-chart\"", page);
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        Assert.Contains("Chart.js v4", await chart.Content.ReadAsStringAsync());
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Summary_ShowsBalanceUsageThresholdsAndForecast()
    {
        await using var app = await StartAsync();
        await app.SpendAsync(2100); // 70% on the 15th
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        await app.SpendAsync(600);  // 90% on the 20th

        var summary = await app.Client.GetFromJsonAsync<JsonElement>("/versana/api/workspaces/acme/summary");

        Assert.Equal(300, summary.GetProperty("balance").GetProperty("available").GetInt64());
        Assert.Equal("2026-11-20", summary.GetProperty("today").GetString());
        var usage = summary.GetProperty("usage");
        Assert.Equal(2700, usage.GetProperty("totalCredits").GetInt64());
        Assert.Equal(["2026-11-15", "2026-11-20"], usage.GetProperty("byDay").EnumerateArray().Select(d => d.GetProperty("date").GetString()));
        Assert.Equal(
            [(75, true), (90, true), (100, false)],
            summary.GetProperty("thresholds").EnumerateArray().Select(t => (t.GetProperty("percent").GetInt32(), t.GetProperty("reached").GetBoolean())));

        // The last 7 days (14th to 20th) burned 2,700: 385.7 a day, so 300 credits run out the same day.
        var forecast = summary.GetProperty("forecast");
        Assert.Equal(2700 / 7.0, forecast.GetProperty("burnPerDay").GetDouble(), 3);
        Assert.Equal("2026-11-20", forecast.GetProperty("runsOutOn").GetString());
        Assert.Equal([1000, 5000, 20000], summary.GetProperty("boostPackSizes").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Fact]
    public async Task BoostPack_ResumesAPausedPool_AndIsIdempotent()
    {
        await using var app = await GuardedApp.StartAsync(a =>
        {
            a.MapVersanaDashboard("/versana");
            a.MapGet("/w/{workspaceId}/summarize", () => "ok").RequireAiCredits(AiFeature.ConversationSummary);
        });
        await app.SpendAsync(3000);
        using (var paused = await app.Client.GetAsync("/w/acme/summarize"))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, paused.StatusCode);
        }

        using var first = await app.Client.SendAsync(Buy(1000, "boost-1"));
        using var again = await app.Client.SendAsync(Buy(1000, "boost-1"));
        using var resumed = await app.Client.GetAsync("/w/acme/summarize");
        await app.WaitForCompletionAsync("/w/acme/summarize");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode); // the remembered refusal was forgotten on purchase
        var balance = await app.BalanceAsync();
        Assert.Equal((999, 999, 3000), (balance.BoostRemaining, balance.Available, balance.Used));
    }

    [Theory]
    [InlineData(1000, null)]
    [InlineData(1234, "odd-size")]
    [InlineData(-5, "negative")]
    public async Task BadPurchase_Is400_NothingChanged(long credits, string? key)
    {
        await using var app = await StartAsync();
        var before = await app.EntriesAsync();

        using var response = await app.Client.SendAsync(Buy(credits, key));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(CreditProblemTypes.InvalidRequest, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(before, await app.EntriesAsync());
    }

    [Fact]
    public async Task MalformedJson_Is400_NothingChanged()
    {
        await using var app = await StartAsync();
        var before = await app.EntriesAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/versana/api/workspaces/acme/boost-packs")
        {
            Content = new StringContent("{\"credits\": \"lots\"", System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", "k1" } },
        };
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await app.EntriesAsync());
    }

    [Fact]
    public async Task UnknownWorkspace_Is404Problem()
    {
        await using var app = await StartAsync();

        using var response = await app.Client.GetAsync("/versana/api/workspaces/globex/summary");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(CreditProblemTypes.WorkspaceNotFound, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task APageOfAnotherSite_ReachingLoopbackByDnsRebinding_CannotReadOrBuy()
    {
        await using var app = await StartAsync();
        var before = await app.EntriesAsync();

        using var read = new HttpRequestMessage(HttpMethod.Get, "/versana/api/workspaces/acme/summary");
        read.Headers.Host = "attacker.example";
        using var buy = Buy(1000, "rebound-1");
        buy.Headers.Host = "attacker.example";
        using var readResponse = await app.Client.SendAsync(read);
        using var buyResponse = await app.Client.SendAsync(buy);

        Assert.Equal(HttpStatusCode.NotFound, readResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, buyResponse.StatusCode);
        Assert.Equal(before, await app.EntriesAsync());
    }

    [Fact]
    public async Task CanViewWorkspace_HidesOtherWorkspaces()
    {
        await using var app = await GuardedApp.StartAsync(a => a.MapVersanaDashboard("/versana", o => o.CanViewWorkspace = (_, id) => id == "other"));
        var before = await app.EntriesAsync();

        using var summary = await app.Client.GetAsync("/versana/api/workspaces/acme/summary");
        using var buy = await app.Client.SendAsync(Buy(1000, "hidden-1"));

        Assert.Equal(HttpStatusCode.NotFound, summary.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, buy.StatusCode);
        Assert.Equal(before, await app.EntriesAsync());
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", "127.0.0.1:5080", true)]
    [InlineData("::1", "::1", "[::1]:5080", true)]
    [InlineData("127.0.0.1", "127.0.0.1", "localhost:5080", true)]
    [InlineData("192.168.1.20", "192.168.1.20", "192.168.1.20:5080", true)]
    [InlineData("10.0.0.5", "10.0.0.1", "10.0.0.1:5080", false)]
    [InlineData("203.0.113.9", "127.0.0.1", "127.0.0.1:5080", false)]
    [InlineData("127.0.0.1", "127.0.0.1", "attacker.example:5080", false)]
    [InlineData("127.0.0.1", "127.0.0.1", "", false)]
    [InlineData(null, null, "127.0.0.1:5080", false)]
    public void OnlyRequestsFromThisMachine_NamingIt_ReachTheDashboardByDefault(string? remote, string? local, string host, bool allowed)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = local is null ? null : IPAddress.Parse(local);
        context.Request.Host = new HostString(host);

        Assert.Equal(allowed, LocalRequestsOnlyFilter.IsLocal(context));
    }
}
