using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Versana.Sdk.Helpdesk.Tests;

/// <summary>The Helpdesk sample on a free loopback port, with its SQLite ledger in a folder of its own.</summary>
internal sealed class HelpdeskServer : IAsyncDisposable
{
    private readonly string _work;
    private readonly WebApplication _app;

    private HelpdeskServer(string work, WebApplication app, string url)
    {
        _work = work;
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<HelpdeskServer> StartAsync(long demoRemainingCredits)
    {
        var work = Directory.CreateTempSubdirectory("versana-helpdesk-").FullName;
        var app = await global::Helpdesk.HelpdeskApp.CreateAsync(
        [
            "--urls", "http://127.0.0.1:0",
            "--contentRoot", Path.Combine(Repository.Root, "samples", "Helpdesk"),
            "--Logging:LogLevel:Default", "Warning",
            "--Helpdesk:Database", Path.Combine(work, "ledger.db"),
            "--Helpdesk:DemoRemainingCredits", demoRemainingCredits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ]);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new HelpdeskServer(work, app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }
}
