using Microsoft.Extensions.Options;
using Versana.Sdk;

namespace Helpdesk;

/// <summary>Builds the Helpdesk web app: the guard middleware, the AI and free endpoints, the dashboard.</summary>
public static class HelpdeskApp
{
    /// <summary>Builds the app, creating the demo workspace on first start. Run it with <c>RunAsync</c> or <c>StartAsync</c>.</summary>
    /// <param name="args">Command-line arguments: <c>--urls</c>, <c>--Helpdesk:Database=...</c>, <c>--Helpdesk:DemoRemainingCredits=n</c>.</param>
    /// <returns>The app, not started.</returns>
    public static async Task<WebApplication> CreateAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }

        var options = builder.Configuration.GetSection("Helpdesk").Get<HelpdeskOptions>() ?? new HelpdeskOptions();
        options.Database = Path.GetFullPath(options.Database, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(Path.GetDirectoryName(options.Database)!);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<Inbox>();
        builder.Services.AddProblemDetails();
        builder.Services.AddVersana(o => o.WorkspaceId = options.Workspace)
            .UseSqliteLedger(options.Database)
            .UseOfflineBackend()
            .AddCreditGuardMiddleware();

        var app = builder.Build();
        var versana = app.Services.GetRequiredService<IOptions<VersanaOptions>>().Value;
        await DemoWorkspace.EnsureAsync(options, versana.Ledger, app.Services.GetRequiredService<TimeProvider>());

        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseCreditGuard();
        HelpdeskEndpoints.Map(app);
        app.MapVersanaDashboard("/versana", o => o.Title = "Helpdesk AI credits");

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var address in app.Urls)
            {
                Console.WriteLine($"Helpdesk is running at {address}/  (dashboard: {address}/versana/)  Ctrl+C stops it.");
            }
        });
        return app;
    }
}
