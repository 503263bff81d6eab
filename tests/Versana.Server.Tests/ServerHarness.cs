using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Versana.Server.Tests;

/// <summary>The real Versana server on a loopback port, on a temporary SQLite file and a fake clock.</summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    public const string AdminKey = "va_test-admin-key-0123456789-0123456789abcdef";

    private readonly WebApplication _app;
    private readonly DirectoryInfo _folder;

    private ServerHarness(WebApplication app, DirectoryInfo folder, FakeTimeProvider clock)
    {
        _app = app;
        _folder = folder;
        Clock = clock;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
    }

    public Uri BaseAddress { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>Gets the server's own ledger, to compare state before and after refused requests.</summary>
    public ICreditLedger Ledger => _app.Services.GetRequiredService<ICreditLedger>();

    public static Task<ServerHarness> StartAsync(params string[] extraArgs) => StartAsync(null, extraArgs);

    /// <summary>Starts the server; <paramref name="services"/> adds to (or overrides) its services.</summary>
    public static async Task<ServerHarness> StartAsync(Action<IServiceCollection>? services, params string[] extraArgs)
    {
        var folder = Directory.CreateTempSubdirectory("versana-server-");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default", "Warning",
            "--Versana:DatabasePath", Path.Combine(folder.FullName, "server.db"),
            "--Versana:AdminKey", AdminKey,
            "--Versana:DemoWorkspace", "",
            .. extraArgs,
        ];
        var app = await VersanaServer.CreateAsync(args, TextWriter.Null, s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            services?.Invoke(s);
        });
        await app.StartAsync();
        return new ServerHarness(app, folder, clock);
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>
    /// A fail-open remote ledger made by hand over <paramref name="http"/> (no resilience pipeline), its local grants on
    /// <paramref name="clock"/>.
    /// </summary>
    public RemoteCreditLedger FailOpenLedger(HttpClient http, string key, long allowance, TimeProvider clock)
        => new(http, new RemoteLedgerOptions { BaseAddress = BaseAddress, ApiKey = key, WhenUnavailable = LedgerUnavailableBehavior.FailOpen, FailOpenAllowance = allowance }, clock);

    /// <summary>Creates a workspace through the admin API and returns its API key.</summary>
    public async Task<string> CreateWorkspaceAsync(string id, string plan = "Starter", bool automation = true, string? timeZoneId = null)
    {
        using var admin = Client(AdminKey);
        using var response = await admin.PostAsJsonAsync("v1/workspaces", new { workspaceId = id, plan, automationEnabled = automation, timeZoneId });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return created.GetProperty("apiKey").GetString()!;
    }

    /// <summary>The workspace's balance and audit trail, straight from the server's ledger.</summary>
    public async Task<(CreditBalance Balance, IReadOnlyList<LedgerEntry> Entries)> SnapshotAsync(string workspaceId)
        => (await Ledger.GetBalanceAsync(workspaceId), await Ledger.GetEntriesAsync(workspaceId, 0, 1_000));

    /// <summary>Asserts that the workspace's balance and audit trail are exactly as in <paramref name="before"/>.</summary>
    public async Task AssertUnchangedAsync(string workspaceId, (CreditBalance Balance, IReadOnlyList<LedgerEntry> Entries) before)
    {
        var after = await SnapshotAsync(workspaceId);
        Assert.Equal(before.Balance, after.Balance);
        // Entries hold lists (credit parts), which records compare by reference: compare their JSON instead.
        Assert.Equal(JsonSerializer.Serialize(before.Entries), JsonSerializer.Serialize(after.Entries));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
