using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration.Memory;
using Versana.Sdk;
using Versana.Sdk.AspNetCore;

namespace Versana.Server;

/// <summary>Builds the credits service: the API, the AI endpoints, health checks and the dashboard over one ledger.</summary>
public static class VersanaServer
{
    /// <summary>Builds the server (not started). On first start it creates the demo workspace; it prints the keys a caller needs.</summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Versana:DatabasePath=...</c>, <c>--Versana:AdminKey=...</c>).</param>
    /// <param name="output">Where the start-up lines go; the console when <see langword="null"/>.</param>
    /// <returns>The app.</returns>
    public static Task<WebApplication> CreateAsync(string[] args, TextWriter? output = null) => CreateAsync(args, output, null);

    /// <summary>Builds the server with extra service registrations (tests replace the clock this way).</summary>
    internal static async Task<WebApplication> CreateAsync(string[] args, TextWriter? output, Action<IServiceCollection>? services)
    {
        output ??= Console.Out;
        var builder = WebApplication.CreateBuilder(args);

        // Defaults below every other source (appsettings, environment, arguments override them): ASP.NET Core's line
        // per request at Information would flood the log of a service that answers thousands of requests a second.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning" },
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5180");
        }

        var options = builder.Configuration.GetSection("Versana").Get<ServerOptions>() ?? new ServerOptions();
        var postgres = string.Equals(options.Store, "Postgres", StringComparison.OrdinalIgnoreCase);
        if (!postgres && !string.Equals(options.Store, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Versana:Store is '{options.Store}': use 'Sqlite' (the default) or 'Postgres'.");
        }

        if (postgres && string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            throw new InvalidOperationException("Versana:Store is 'Postgres' but Versana:PostgresConnectionString is empty: set it (an Npgsql connection string).");
        }

        options.DatabasePath = Path.GetFullPath(options.DatabasePath, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        var adminKey = string.IsNullOrEmpty(options.AdminKey) ? "va_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) : options.AdminKey;

        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddVersanaLedger();
        builder.Services.AddSingleton<IApiKeyStore>(postgres ? new PostgresApiKeyStore(options.PostgresConnectionString!) : new SqliteApiKeyStore(options.DatabasePath));
        var versana = builder.Services.AddVersana();
        _ = postgres ? versana.UsePostgresLedger(options.PostgresConnectionString!) : versana.UseSqliteLedger(options.DatabasePath);
        versana
            .UseOfflineBackend()
            .AddCreditsApi(api =>
            {
                builder.Configuration.GetSection("Versana:Api").Bind(api);
                api.AdminKey = adminKey;
            });
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseAuthentication();
        // Before authorization, so callers without a valid key are limited (by address) too.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapVersanaCreditsApi();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthChecks("/healthz");
        app.MapVersanaDashboard("/dashboard");

        // The ledger opens (and migrates its schema) now, before the server listens: not on the first request, which
        // would stall every request behind it and keep a replica started under load from answering its probes.
        _ = app.Services.GetRequiredService<ICreditLedger>();
        var demoKey = await EnsureDemoWorkspaceAsync(app, options);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var url = app.Urls.FirstOrDefault() ?? "(no address)";
            output.WriteLine($"Versana credits service at {url}  (OpenAPI: {url}/openapi/v1.json, health: {url}/healthz)");
            output.WriteLine(postgres ? "Ledger: PostgreSQL" : $"Ledger: SQLite at {options.DatabasePath}");
            if (string.IsNullOrEmpty(options.AdminKey))
            {
                output.WriteLine($"Admin key (made for this run; set Versana:AdminKey to keep one): {adminKey}");
            }

            if (demoKey is not null)
            {
                output.WriteLine($"Demo workspace '{options.DemoWorkspace}' created; its API key, shown this once: {demoKey}");
                output.WriteLine($"  curl -H \"Authorization: Bearer {demoKey}\" {url}/v1/workspaces/{options.DemoWorkspace}/balance");
            }
            else if (!string.IsNullOrEmpty(options.DemoWorkspace))
            {
                output.WriteLine($"Demo workspace '{options.DemoWorkspace}': its key was shown at its first start; the admin issues another with POST {url}/v1/workspaces/{options.DemoWorkspace}/api-keys");
            }
        });
        return app;
    }

    private static async Task<string?> EnsureDemoWorkspaceAsync(WebApplication app, ServerOptions options)
    {
        if (string.IsNullOrEmpty(options.DemoWorkspace))
        {
            return null;
        }

        var ledger = app.Services.GetRequiredService<ICreditLedger>();
        try
        {
            await ledger.GetBalanceAsync(options.DemoWorkspace);

            // Made at the first start and kept: only its hash is stored, so it is shown once, and later starts do
            // not add keys that all stay valid.
            return null;
        }
        catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.WorkspaceNotFound)
        {
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings(options.DemoWorkspace, "Starter") { AutomationEnabled = true });
        }

        var (key, stored) = ApiKeys.Create(options.DemoWorkspace);
        await app.Services.GetRequiredService<IApiKeyStore>().AddAsync(stored, CancellationToken.None);
        return key;
    }
}
