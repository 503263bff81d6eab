using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Versana.Sdk.Testing;

namespace Versana.Sdk.PostgreSql.Tests;

/// <summary>The whole stack twice over: two server replicas on one database, each call of a sequence sent to either.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplicaSequenceTests(PostgresServer server)
{
    private const string AdminKey = "va_sequence-admin";

    [Theory]
    [InlineData(41, true, "America/New_York")]
    public async Task TwoReplicasOverOneDatabase_AnswerAnySequenceOfDecisions_AsOneLedger(int seed, bool packsExpire, string timeZone)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
        var folder = Directory.CreateTempSubdirectory("versana-replica-sequence-");
        var replicas = new List<WebApplication>();
        var clients = new List<ServiceProvider>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var app = await Versana.Server.VersanaServer.CreateAsync(
                [
                    "--urls", "http://127.0.0.1:0",
                    "--Versana:Store", "Postgres",
                    "--Versana:PostgresConnectionString", server.ConnectionString,
                    "--Versana:DatabasePath", Path.Combine(folder.FullName, $"unused{i}.db"),
                    "--Versana:AdminKey", AdminKey,
                    "--Versana:DemoWorkspace", "",
                    "--Logging:LogLevel:Default", "Warning",
                ], TextWriter.Null, s =>
                {
                    s.AddSingleton<TimeProvider>(clock);
                    s.PostConfigure<VersanaOptions>(o => LedgerSequence.Configure(o.Ledger, packsExpire));
                });
                await app.StartAsync();
                replicas.Add(app);
            }

            var addresses = replicas.Select(r => new Uri(r.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/")).ToList();
            var workspace = "w" + Guid.NewGuid().ToString("N")[..8];
            var automation = seed % 2 == 0;
            using var admin = new HttpClient { BaseAddress = addresses[0] };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            using var created = await admin.PostAsJsonAsync("v1/workspaces", new { workspaceId = workspace, plan = "Starter", automationEnabled = automation, timeZoneId = timeZone });
            var key = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
            foreach (var address in addresses)
            {
                var services = new ServiceCollection();
                services.AddVersana(o => o.WorkspaceId = workspace).UseRemoteLedger(address, key, o => o.RetryDelay = TimeSpan.FromMilliseconds(1));
                clients.Add(services.BuildServiceProvider());
            }

            var options = new CreditLedgerOptions();
            LedgerSequence.Configure(options, packsExpire);
            await using var reference = CreditLedger.CreateInMemory(options, clock);
            await reference.CreateWorkspaceAsync(new WorkspaceSettings(workspace, "Starter") { AutomationEnabled = automation, TimeZoneId = timeZone });

            var spread = new SpreadLedger(new Random(seed), [.. clients.Select(c => c.GetRequiredService<ICreditLedger>())]);
            await new LedgerSequence(spread, reference, clock, workspace, timeZone, seed, packsExpire).RunAsync(300);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            foreach (var app in replicas)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }

            folder.Delete(recursive: true);
        }
    }
}
