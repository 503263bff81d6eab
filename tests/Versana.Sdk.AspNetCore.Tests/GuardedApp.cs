using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Versana.Sdk.Tests.Guard;

namespace Versana.Sdk.AspNetCore.Tests;

/// <summary>A real Kestrel server on a loopback port with the credit guard in its pipeline, over a counting in-memory ledger.</summary>
internal sealed class GuardedApp : IAsyncDisposable
{
    public const string Workspace = "acme";

    private readonly WebApplication _app;
    private readonly Channel<string> _completed;

    private GuardedApp(WebApplication app, CountingLedger ledger, FakeTimeProvider clock, Channel<string> completed)
    {
        _app = app;
        Ledger = ledger;
        Clock = clock;
        _completed = completed;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public HttpClient Client { get; }

    public CountingLedger Ledger { get; }

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GuardedApp> StartAsync(
        Action<WebApplication> map,
        Action<CreditGuardMiddlewareOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        string plan = "Starter",
        bool automation = true)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
        var ledger = new CountingLedger(CreditLedger.CreateInMemory(timeProvider: clock));
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings(Workspace, plan) { AutomationEnabled = automation });

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddVersana().UseLedger(_ => ledger).UseOfflineBackend().AddCreditGuardMiddleware(configure);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        var completed = Channel.CreateUnbounded<string>();

        // Outside the guard: a request's path is written here once the guard has committed or released it.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                completed.Writer.TryWrite(context.Request.Path);
            }
        });
        app.UseRouting();
        app.UseCreditGuard();
        map(app);
        await app.StartAsync();
        return new GuardedApp(app, ledger, clock, completed);
    }

    /// <summary>Waits until the server has finished (committed or released) a request to <paramref name="path"/>.</summary>
    public async Task WaitForCompletionAsync(string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _completed.Reader.ReadAsync(timeout.Token) != path)
        {
        }
    }

    public ValueTask<CreditBalance> BalanceAsync() => Ledger.Inner.GetBalanceAsync(Workspace);

    public async Task<IReadOnlyList<LedgerEntry>> EntriesAsync() => await Ledger.Inner.GetEntriesAsync(Workspace, 0, 1_000);

    /// <summary>Spends credits straight on the ledger, as another app would.</summary>
    public async Task SpendAsync(long credits)
    {
        var r = await Ledger.Inner.ReserveAsync(Workspace, new ReservationRequest(AiFeature.ConversationSummary, Guid.NewGuid().ToString("N")) { Credits = credits });
        await Ledger.Inner.CommitAsync(Workspace, r.Reservation!.Id);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
