using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Versana.Server.Tests;

/// <summary>Every route of the credits API, tried on workspace A with B's key, with no key and with a wrong key.</summary>
public sealed class IsolationTests
{
    private const string Conversation = "{\"conversation\": {\"id\": \"c\", \"messages\": [{\"author\": \"x\", \"text\": \"refund please\", \"fromCustomer\": true}]}}";

    public static TheoryData<string, string, string?, bool> Routes() => new()
    {
        { "GET", "v1/workspaces/acme/balance", null, false },
        { "POST", "v1/workspaces/acme/reservations", "{\"feature\": \"ConversationSummary\"}", false },
        { "GET", "v1/workspaces/acme/reservations/{rid}", null, false },
        { "POST", "v1/workspaces/acme/reservations/{rid}/commit", null, false },
        { "POST", "v1/workspaces/acme/reservations/{rid}/release", null, false },
        { "POST", "v1/workspaces/acme/boost-packs", "{\"credits\": 1000}", false },
        { "GET", "v1/workspaces/acme/usage", null, false },
        { "PATCH", "v1/workspaces/acme/settings", "{\"automationEnabled\": false}", false },
        { "PUT", "v1/workspaces/acme/plan", "{\"plan\": \"Scale\"}", false },
        { "GET", "v1/workspaces/acme/entries", null, false },
        { "GET", "v1/workspaces/acme/verification", null, false },
        { "POST", "v1/workspaces/acme/ai/summary", Conversation, false },
        { "POST", "v1/workspaces/acme/ai/reply-suggestion", Conversation, false },
        { "POST", "v1/workspaces/acme/ai/automated-response", Conversation, false },
        { "POST", "v1/workspaces/acme/ai/classification", "{\"message\": \"refund please\"}", false },
        { "POST", "v1/workspaces/acme/api-keys", null, true },
        { "POST", "v1/workspaces", "{\"workspaceId\": \"intruder\", \"plan\": \"Scale\"}", true },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AnotherWorkspacesKey_NoKey_AndAWrongKey_AreRefused_NothingChanges(string method, string path, string? body, bool adminOnly)
    {
        await using var server = await ServerHarness.StartAsync();
        var acme = await server.CreateWorkspaceAsync("acme");
        var globex = await server.CreateWorkspaceAsync("globex");
        string reservationId;
        using (var owner = server.Client(acme))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces/acme/reservations") { Content = JsonContent.Create(new { feature = "ReplySuggestion" }) };
            request.Headers.Add("Idempotency-Key", "held-1");
            using var held = await owner.SendAsync(request);
            reservationId = (await held.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reservation").GetProperty("id").GetString()!;
        }

        var target = path.Replace("{rid}", reservationId, StringComparison.Ordinal);
        var acmeBefore = await server.SnapshotAsync("acme");
        var globexBefore = await server.SnapshotAsync("globex");

        foreach (var (key, expected) in new (string?, HttpStatusCode)[]
        {
            (globex, adminOnly ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound),
            (null, HttpStatusCode.Unauthorized),
            ("vk_0123456789abcdef_not-the-secret", HttpStatusCode.Unauthorized),
            ("garbage", HttpStatusCode.Unauthorized),
        })
        {
            using var client = server.Client(key);
            using var request = new HttpRequestMessage(new HttpMethod(method), target);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            request.Headers.Add("Idempotency-Key", "intrusion-" + Guid.NewGuid().ToString("N"));
            using var response = await client.SendAsync(request);

            Assert.True(expected == response.StatusCode, $"{method} {path} with {(key is null ? "no key" : key == globex ? "B's key" : "a wrong key")}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await server.AssertUnchangedAsync("acme", acmeBefore);
        await server.AssertUnchangedAsync("globex", globexBefore);
        await Assert.ThrowsAsync<CreditLedgerException>(async () => await server.Ledger.GetBalanceAsync("intruder"));
    }
}
