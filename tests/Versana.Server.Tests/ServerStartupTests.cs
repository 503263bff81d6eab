using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Versana.Server.Tests;

public sealed class ServerStartupTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("Information", true)]
    public async Task RequestsAreNotLoggedAtInformation_UnlessTheOperatorAsks(string? level, bool logged)
    {
        var folder = Directory.CreateTempSubdirectory("versana-server-");
        try
        {
            string[] args = ["--urls", "http://127.0.0.1:0", "--Versana:DatabasePath", Path.Combine(folder.FullName, "server.db"), "--Versana:DemoWorkspace", ""];
            if (level is not null)
            {
                args = [.. args, "--Logging:LogLevel:Microsoft.AspNetCore", level];
            }

            await using var app = await VersanaServer.CreateAsync(args, TextWriter.Null);
            var loggers = app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>();

            Assert.Equal(logged, loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information));
            Assert.True(loggers.CreateLogger("Versana.Sdk.CreditGuard").IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TheDemoKey_IsMadeAtTheFirstStartOnly_AndKeepsWorking()
    {
        var folder = Directory.CreateTempSubdirectory("versana-server-");
        var path = Path.Combine(folder.FullName, "server.db");
        string[] args = ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Versana:DatabasePath", path, "--Versana:DemoWorkspace", "demo"];
        try
        {
            var first = await StartAndReadOutputAsync(args);
            var key = System.Text.RegularExpressions.Regex.Match(first.Output, "shown this once: (\\S+)").Groups[1].Value;
            Assert.StartsWith("vk_", key, StringComparison.Ordinal);
            await first.App.DisposeAsync();

            var second = await StartAndReadOutputAsync(args);
            await using (second.App)
            {
                Assert.DoesNotContain("vk_", second.Output, StringComparison.Ordinal);
                Assert.Contains("its key was shown at its first start", second.Output, StringComparison.Ordinal);
                using var client = new HttpClient { BaseAddress = new Uri(second.App.Urls.First() + "/") };
                client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("v1/workspaces/demo/balance")).StatusCode);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }

        static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, string Output)> StartAndReadOutputAsync(string[] args)
        {
            var output = new StringWriter();
            var app = await VersanaServer.CreateAsync(args, output);
            await app.StartAsync();
            return (app, output.ToString());
        }
    }

    [Fact]
    public async Task TheLedgerIsOpenedAndMigrated_BeforeTheServerListens_WithNoDemoWorkspace()
    {
        var folder = Directory.CreateTempSubdirectory("versana-server-");
        var path = Path.Combine(folder.FullName, "server.db");
        try
        {
            var app = await VersanaServer.CreateAsync(
                ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Versana:DatabasePath", path, "--Versana:DemoWorkspace", ""],
                TextWriter.Null);
            await using (app)
            {
                // Built, not started, no request made: the ledger's tables are already there.
                using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=false");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('versana_workspaces', 'versana_entries', 'versana_reservations', 'versana_usage_daily');";
                Assert.Equal(4L, command.ExecuteScalar());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
