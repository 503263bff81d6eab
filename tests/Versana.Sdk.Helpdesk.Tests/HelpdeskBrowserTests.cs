using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Versana.Sdk;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Versana.Sdk.Helpdesk.Tests;

/// <summary>
/// The Helpdesk sample in headless Chromium (Debian's package, installed by tests/run.sh): summarise until the
/// pool pauses, see the paused message, buy a boost pack on the dashboard, see the balance and chart update.
/// </summary>
public sealed class HelpdeskBrowserTests : IAsyncLifetime
{
    private HelpdeskServer? _server;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _server = await HelpdeskServer.StartAsync(demoRemainingCredits: 3);
        _url = _server.Url;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task SummariseUntilPaused_BuyABoostPack_BalanceAndChartUpdate()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=en-US"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 1000 }, Locale = "en-US" });

        // The inbox: three summaries are paid for, the fourth finds the pool paused.
        await page.GotoAsync(_url + "/");
        var ticket = page.Locator("article[data-ticket='t-1001']");
        var summarise = ticket.Locator("button[data-action='summary']");
        await Expect(page.Locator("#balance")).ToHaveTextAsync("3");
        foreach (var left in new[] { "2", "1", "0" })
        {
            await summarise.ClickAsync();
            await Expect(page.Locator("#balance")).ToHaveTextAsync(left);
            await Expect(ticket.Locator(".ai-result")).ToContainTextAsync("Summary:");
        }

        await summarise.ClickAsync();
        await Expect(page.Locator("#paused")).ToBeVisibleAsync();
        await Expect(page.Locator("#paused-text")).ToContainTextAsync("Boost packs: 1,000, 5,000, 20,000 credits");
        await Expect(ticket.Locator(".ai-result")).ToHaveClassAsync("ai-result error");

        // A free action still works while AI is paused.
        await ticket.Locator("button[data-action='assign']").ClickAsync();
        await Expect(ticket.Locator(".meta")).ToContainTextAsync("assigned to you");

        // The dashboard: paused, then a boost pack.
        await page.GotoAsync(_url + "/versana/");
        await Expect(page.Locator("#available")).ToHaveTextAsync("0");
        await Expect(page.Locator("#paused-banner")).ToBeVisibleAsync();
        var paused = await PoolChartAsync(page);
        Assert.Equal([3000, 0, 0, 0], paused);

        await page.Locator("button[data-credits='1000']").ClickAsync();
        await Expect(page.Locator("#available")).ToHaveTextAsync("1,000");
        await Expect(page.Locator("#boost-remaining")).ToHaveTextAsync("1,000");
        await Expect(page.Locator("#paused-banner")).ToBeHiddenAsync();
        var boosted = await PoolChartAsync(page);
        Assert.Equal([3000, 0, 0, 1000], boosted);
        var charted = await page.EvaluateAsync<long>("() => Chart.getChart('trend-chart').data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0)");
        Assert.Equal(3000, charted);

        var screenshot = Path.Combine(Repository.Root, "artifacts", "screenshots", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });

        // Back in the inbox, AI works again on the boost pack.
        await page.GotoAsync(_url + "/");
        await summarise.ClickAsync();
        await Expect(page.Locator("#balance")).ToHaveTextAsync("999");

        var ledger = _server!.Services.GetRequiredService<ICreditLedger>();
        var verification = await ledger.VerifyAsync("demo");
        Assert.True(verification.IsConsistent, string.Join("; ", verification.Differences));
        Assert.Equal(999, verification.Stored.BoostRemaining);
    }

    private static async Task<long[]> PoolChartAsync(IPage page)
        => await page.EvaluateAsync<long[]>("() => Chart.getChart('pool-chart').data.datasets[0].data");
}
