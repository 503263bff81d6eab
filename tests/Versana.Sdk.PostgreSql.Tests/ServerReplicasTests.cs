using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Versana.Sdk.PostgreSql.Tests;

/// <summary>Two Versana server replicas on one PostgreSQL database share one pool and one set of API keys.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ServerReplicasTests(PostgresServer server)
{
    [Fact]
    public async Task TwoReplicas_ShareThePool_AndNeitherOverspends()
    {
        await using var replicas = await ServerReplicas.StartAsync(server, 2, "va_replica-admin-0123456789abcdef");
        var clients = replicas.Addresses.Select(address => new HttpClient { BaseAddress = address }).ToList();
        var workspace = "w" + Guid.NewGuid().ToString("N")[..8];
        using var create = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces") { Content = JsonContent.Create(new { workspaceId = workspace, plan = "Starter" }) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "va_replica-admin-0123456789abcdef");
        using var created = await clients[0].SendAsync(create);
        var key = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString();
        foreach (var client in clients)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        // Both replicas spend 100-credit reservations until refused: 30 fit in the Starter pool. Each commit goes
        // to the other replica than its reserve.
        var granted = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                using var reserve = new HttpRequestMessage(HttpMethod.Post, $"v1/workspaces/{workspace}/reservations") { Content = JsonContent.Create(new { feature = "ConversationSummary", credits = 100 }) };
                reserve.Headers.Add("Idempotency-Key", $"w{worker}-{i}");
                using var response = await clients[worker % 2].SendAsync(reserve);
                if (response.StatusCode == HttpStatusCode.PaymentRequired)
                {
                    return;
                }

                var id = (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reservation").GetProperty("id").GetString();
                using var commit = await clients[(worker + 1) % 2].PostAsJsonAsync($"v1/workspaces/{workspace}/reservations/{id}/commit", new { });
                commit.EnsureSuccessStatusCode();
                Interlocked.Increment(ref granted);
            }
        })));

        var balance = await clients[1].GetFromJsonAsync<JsonElement>($"v1/workspaces/{workspace}/balance");
        Assert.Equal(30, granted);
        Assert.Equal((3000, 0), (balance.GetProperty("used").GetInt32(), balance.GetProperty("available").GetInt32()));
        var verification = await clients[0].GetFromJsonAsync<JsonElement>($"v1/workspaces/{workspace}/verification");
        Assert.Empty(verification.GetProperty("differences").EnumerateArray());
    }
}

