using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Versana.Sdk.Testing;

namespace Versana.Sdk.PostgreSql.Tests;

/// <summary>The whole stack twice over: two server replicas on one database, each call of a sequence sent to either.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplicaSequenceTests(PostgresServer server)
{
    private const string AdminKey = "va_sequence-admin-0123456789abcdef";

    [Theory]
    [InlineData(41, true, "America/New_York")]
    public async Task TwoReplicasOverOneDatabase_AnswerAnySequenceOfDecisions_AsOneLedger(int seed, bool packsExpire, string timeZone)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
        await using var replicas = await ServerReplicas.StartAsync(server, 2, AdminKey, services: s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.PostConfigure<VersanaOptions>(o => LedgerSequence.Configure(o.Ledger, packsExpire));
        });

        var workspace = "w" + Guid.NewGuid().ToString("N")[..8];
        var settings = new WorkspaceSettings(workspace, "Starter") { AutomationEnabled = seed % 2 == 0, TimeZoneId = timeZone };
        using var admin = new HttpClient { BaseAddress = replicas.Addresses[0] };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var created = await admin.PostAsJsonAsync("v1/workspaces", new { workspaceId = workspace, plan = settings.Plan, automationEnabled = settings.AutomationEnabled, timeZoneId = timeZone });
        var key = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;

        var clients = new List<ServiceProvider>();
        try
        {
            foreach (var address in replicas.Addresses)
            {
                var services = new ServiceCollection();
                services.AddVersana(o => o.WorkspaceId = workspace).UseRemoteLedger(address, key, o => o.RetryDelay = TimeSpan.FromMilliseconds(1));
                clients.Add(services.BuildServiceProvider());
            }

            var spread = new SpreadLedger(new Random(seed), [.. clients.Select(c => c.GetRequiredService<ICreditLedger>())]);
            await LedgerSequence.RunAgainstReferenceAsync(spread, clock, settings, seed, packsExpire);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
