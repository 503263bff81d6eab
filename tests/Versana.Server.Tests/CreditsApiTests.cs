using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Versana.Server.Tests;

public sealed class CreditsApiTests : IAsyncLifetime
{
    private ServerHarness _server = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        _server = await ServerHarness.StartAsync();
        _key = await _server.CreateWorkspaceAsync("acme");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static HttpRequestMessage Post(string path, object? body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(type, problem.GetProperty("type").GetString());
        return problem;
    }

    [Fact]
    public async Task ReserveCommitRelease_AndReadBack()
    {
        using var client = _server.Client(_key);

        using var reserved = await client.SendAsync(Post("v1/workspaces/acme/reservations", new { feature = "ConversationSummary", credits = 3, ttlSeconds = 60, actor = "agent-7" }, "r-1"));
        Assert.Equal(HttpStatusCode.Created, reserved.StatusCode);
        var reservation = (await JsonAsync(reserved)).GetProperty("reservation");
        var id = reservation.GetProperty("id").GetString();
        Assert.Equal(("Held", 3, "agent-7"), (reservation.GetProperty("status").GetString(), reservation.GetProperty("credits").GetInt32(), reservation.GetProperty("actor").GetString()));

        // A retry with the same key is the same reservation, not a second hold.
        using var retried = await client.SendAsync(Post("v1/workspaces/acme/reservations", new { feature = "ConversationSummary", credits = 3, ttlSeconds = 60, actor = "agent-7" }, "r-1"));
        Assert.Equal(id, (await JsonAsync(retried)).GetProperty("reservation").GetProperty("id").GetString());

        var read = await client.GetFromJsonAsync<JsonElement>($"v1/workspaces/acme/reservations/{id}");
        Assert.Equal("Held", read.GetProperty("status").GetString());

        using var committed = await client.SendAsync(Post($"v1/workspaces/acme/reservations/{id}/commit", new { actualCredits = 2, tokens = 420 }));
        var commit = await JsonAsync(committed);
        Assert.Equal((2, 1), (commit.GetProperty("charged").GetInt32(), commit.GetProperty("returned").GetInt32()));

        using var second = await client.SendAsync(Post("v1/workspaces/acme/reservations", new { feature = "ReplySuggestion" }, "r-2"));
        var secondId = (await JsonAsync(second)).GetProperty("reservation").GetProperty("id").GetString();
        using var released = await client.SendAsync(Post($"v1/workspaces/acme/reservations/{secondId}/release", null));
        Assert.Equal(1, (await JsonAsync(released)).GetProperty("returned").GetInt32());

        var balance = await client.GetFromJsonAsync<JsonElement>("v1/workspaces/acme/balance");
        Assert.Equal((2, 0, 2998), (balance.GetProperty("used").GetInt32(), balance.GetProperty("held").GetInt32(), balance.GetProperty("available").GetInt32()));

        var usage = await client.GetFromJsonAsync<JsonElement>("v1/workspaces/acme/usage?from=2026-11-01&to=2026-11-30");
        Assert.Equal(2, usage.GetProperty("totalCredits").GetInt32());
        Assert.Equal(420, usage.GetProperty("byFeature")[0].GetProperty("tokens").GetInt32());

        var entries = await client.GetFromJsonAsync<JsonElement>("v1/workspaces/acme/entries?after=0&limit=50");
        Assert.Equal(["WorkspaceCreated", "PeriodStarted", "Reserved", "Committed", "Reserved", "Released"], entries.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).Where(k => k != "ThresholdCrossed"));

        var verification = await client.GetFromJsonAsync<JsonElement>("v1/workspaces/acme/verification");
        Assert.Empty(verification.GetProperty("differences").EnumerateArray());
    }

    [Fact]
    public async Task BoostPacks_SettingsAndPlan()
    {
        using var client = _server.Client(_key);

        using var bought = await client.SendAsync(Post("v1/workspaces/acme/boost-packs", new { credits = 1000 }, "boost-1"));
        using var again = await client.SendAsync(Post("v1/workspaces/acme/boost-packs", new { credits = 1000 }, "boost-1"));
        Assert.Equal(HttpStatusCode.Created, bought.StatusCode);
        Assert.Equal((await JsonAsync(bought)).GetProperty("boostId").GetString(), (await JsonAsync(again)).GetProperty("boostId").GetString());
        Assert.Equal(1000, (await client.GetFromJsonAsync<JsonElement>("v1/workspaces/acme/balance")).GetProperty("boostRemaining").GetInt32());

        using var settings = await client.PatchAsJsonAsync("v1/workspaces/acme/settings", new { automationEnabled = false });
        Assert.False((await JsonAsync(settings)).GetProperty("automationEnabled").GetBoolean());

        using var plan = await client.PutAsJsonAsync("v1/workspaces/acme/plan", new { plan = "Growth" });
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        Assert.Equal("Growth", (await JsonAsync(plan)).GetProperty("plan").GetString());
    }

    [Fact]
    public async Task AiFeatureEndpoints_ChargeOnce_AndHonourTheIdempotencyKey()
    {
        using var client = _server.Client(_key);
        var conversation = new { id = "c1", messages = new[] { new { author = "Dana", text = "I was charged twice, please refund me today!", fromCustomer = true } } };

        using var summary = await client.PostAsJsonAsync("v1/workspaces/acme/ai/summary", new { conversation });
        using var reply = await client.PostAsJsonAsync("v1/workspaces/acme/ai/reply-suggestion", new { conversation });
        using var auto = await client.PostAsJsonAsync("v1/workspaces/acme/ai/automated-response", new { conversation });
        using var classified = await client.PostAsJsonAsync("v1/workspaces/acme/ai/classification", new { message = "I was charged twice, please refund me today!" });
        using var retried1 = await client.SendAsync(Post("v1/workspaces/acme/ai/summary", new { conversation }, "click-1"));
        using var retried2 = await client.SendAsync(Post("v1/workspaces/acme/ai/summary", new { conversation }, "click-1"));

        foreach (var response in new[] { summary, reply, auto, classified, retried1, retried2 })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Contains("charged twice", (await JsonAsync(summary)).GetProperty("text").GetString());
        Assert.Equal("Billing", (await JsonAsync(classified)).GetProperty("intent").GetString());

        // 1 + 1 + 2 + 1, and the retried click once.
        Assert.Equal(6, (await client.GetFromJsonAsync<JsonElement>("v1/workspaces/acme/balance")).GetProperty("used").GetInt32());
    }

    [Fact]
    public async Task Exhausted_Is402WithRetryAfterAndTheDenial()
    {
        using var client = _server.Client(_key);
        using var all = await client.SendAsync(Post("v1/workspaces/acme/reservations", new { feature = "ConversationSummary", credits = 3000 }, "all"));
        var id = (await JsonAsync(all)).GetProperty("reservation").GetProperty("id").GetString();
        (await client.SendAsync(Post($"v1/workspaces/acme/reservations/{id}/commit", null))).Dispose();
        var before = await _server.SnapshotAsync("acme");

        using var denied = await client.SendAsync(Post("v1/workspaces/acme/reservations", new { feature = "ConversationSummary" }, "late"));

        var problem = await AssertProblemAsync(denied, HttpStatusCode.PaymentRequired, CreditProblemTypes.CreditsExhausted);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) - _server.Clock.GetUtcNow(), denied.Headers.RetryAfter?.Delta);
        Assert.Equal("CreditsExhausted", problem.GetProperty("denial").GetProperty("reason").GetString());
        Assert.Equal(0, problem.GetProperty("balance").GetProperty("available").GetInt32());
        await _server.AssertUnchangedAsync("acme", before);
    }

    [Fact]
    public async Task SoloPlan_Is402_AndAutomationOff_Is403()
    {
        var solo = await _server.CreateWorkspaceAsync("solo", plan: "Solo");
        var manual = await _server.CreateWorkspaceAsync("manual", automation: false);
        using var soloClient = _server.Client(solo);
        using var manualClient = _server.Client(manual);

        using var planDenied = await soloClient.SendAsync(Post("v1/workspaces/solo/reservations", new { feature = "ReplySuggestion" }, "s1"));
        using var automationDenied = await manualClient.SendAsync(Post("v1/workspaces/manual/reservations", new { feature = "AutomatedResponse" }, "m1"));

        await AssertProblemAsync(planDenied, HttpStatusCode.PaymentRequired, CreditProblemTypes.PlanExcludesAi);
        Assert.Null(planDenied.Headers.RetryAfter);
        await AssertProblemAsync(automationDenied, HttpStatusCode.Forbidden, CreditProblemTypes.AutomationNotActivated);
    }

    [Fact]
    public async Task Conflicts_AndUnknowns()
    {
        using var client = _server.Client(_key);
        using var first = await client.SendAsync(Post("v1/workspaces/acme/reservations", new { feature = "ConversationSummary" }, "k-1"));
        var id = (await JsonAsync(first)).GetProperty("reservation").GetProperty("id").GetString();
        (await client.SendAsync(Post($"v1/workspaces/acme/reservations/{id}/release", null))).Dispose();

        using var reused = await client.SendAsync(Post("v1/workspaces/acme/reservations", new { feature = "ReplySuggestion" }, "k-1"));
        using var commitReleased = await client.SendAsync(Post($"v1/workspaces/acme/reservations/{id}/commit", null));
        using var unknownReservation = await client.GetAsync("v1/workspaces/acme/reservations/res_nope");
        using var unknownCommit = await client.SendAsync(Post("v1/workspaces/acme/reservations/res_nope/commit", null));

        await AssertProblemAsync(reused, HttpStatusCode.Conflict, CreditProblemTypes.IdempotencyKeyReused);
        await AssertProblemAsync(commitReleased, HttpStatusCode.Conflict, CreditProblemTypes.ReservationConflict);
        await AssertProblemAsync(unknownReservation, HttpStatusCode.NotFound, CreditProblemTypes.ReservationNotFound);
        await AssertProblemAsync(unknownCommit, HttpStatusCode.NotFound, CreditProblemTypes.ReservationNotFound);
    }

    public static TheoryData<string> AdminKeys => new()
    {
        "vk_0123abcd_an-admin-key-shaped-like-a-workspace-key",

        // Longer than the secret buffer kept on the stack, so hashing it borrows one.
        "va_" + string.Concat(Enumerable.Range(0, 200).Select(i => $"k{i:0000}-")),
    };

    [Theory]
    [MemberData(nameof(AdminKeys))]
    public async Task AnAdminKey_OfAnyShapeOrLength_AuthenticatesAsAdmin_AndOneCharacterOffDoesNot(string adminKey)
    {
        await using var server = await ServerHarness.StartAsync("--Versana:AdminKey", adminKey);
        using var admin = server.Client(adminKey);
        using var wrong = server.Client(adminKey[..^1] + (adminKey[^1] == 'x' ? 'y' : 'x'));

        using var refused = await wrong.PostAsJsonAsync("v1/workspaces", new { workspaceId = "other", plan = "Starter" });
        using var created = await admin.PostAsJsonAsync("v1/workspaces", new { workspaceId = "beta", plan = "Starter" });

        await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, CreditProblemTypes.Unauthorized);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var workspace = server.Client((await JsonAsync(created)).GetProperty("apiKey").GetString());
        Assert.Equal(HttpStatusCode.OK, (await workspace.GetAsync("v1/workspaces/beta/balance")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("v1/workspaces/other/balance")).StatusCode);
    }

    [Fact]
    public async Task TwoIdempotencyKeyHeaders_AreRefused_AndNothingIsHeld()
    {
        // Sent as two header lines, which HttpClient would join into one.
        var body = """{"feature":"ConversationSummary"}""";
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
        var stream = tcp.GetStream();
        var request = $"POST /v1/workspaces/acme/reservations HTTP/1.1\r\nHost: {_server.BaseAddress.Authority}\r\nAuthorization: Bearer {_key}\r\n"
            + $"Idempotency-Key: k-one\r\nIdempotency-Key: k-two\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        var reply = await reader.ReadToEndAsync();

        Assert.True(reply.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), reply);
        Assert.True(reply.Contains("header; this request has 2.", StringComparison.Ordinal), reply);
        var balance = await _server.Ledger.GetBalanceAsync("acme");
        Assert.Equal((0L, 0L), (balance.Used, balance.Held));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("va_admin")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task AGuessableAdminKey_FailsTheStart_SayingWhatAKeyNeeds(string adminKey)
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ServerHarness.StartAsync("--Versana:AdminKey", adminKey));

        Assert.Contains("at least 32 characters with at least 10 different ones", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_CreatesWorkspacesAndIssuesKeys_WorkspaceKeysMayNot()
    {
        using var admin = _server.Client(ServerHarness.AdminKey);
        using var workspace = _server.Client(_key);

        using var duplicate = await admin.PostAsJsonAsync("v1/workspaces", new { workspaceId = "acme", plan = "Starter" });
        using var issued = await admin.PostAsync("v1/workspaces/acme/api-keys", null);
        using var byWorkspace = await workspace.PostAsJsonAsync("v1/workspaces", new { workspaceId = "evil", plan = "Starter" });
        using var keyByWorkspace = await workspace.PostAsync("v1/workspaces/acme/api-keys", null);

        await AssertProblemAsync(duplicate, HttpStatusCode.Conflict, CreditProblemTypes.WorkspaceExists);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var newKey = (await JsonAsync(issued)).GetProperty("apiKey").GetString();
        using var withNewKey = _server.Client(newKey);
        Assert.Equal(HttpStatusCode.OK, (await withNewKey.GetAsync("v1/workspaces/acme/balance")).StatusCode);
        await AssertProblemAsync(byWorkspace, HttpStatusCode.Forbidden, CreditProblemTypes.Forbidden);
        await AssertProblemAsync(keyByWorkspace, HttpStatusCode.Forbidden, CreditProblemTypes.Forbidden);
    }

    [Fact]
    public async Task OpenApiDocument_AndHealth_AreServed()
    {
        using var client = _server.Client();

        var document = await client.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var health = await client.GetStringAsync("healthz");

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/v1/workspaces/{workspaceId}/balance", "/v1/workspaces/{workspaceId}/reservations", "/v1/workspaces/{workspaceId}/reservations/{reservationId}/commit", "/v1/workspaces/{workspaceId}/ai/summary" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        Assert.Equal("Healthy", health);
    }

    [Fact]
    public async Task RateLimit_Is429ProblemWithRetryAfter()
    {
        await using var server = await ServerHarness.StartAsync("--Versana:Api:PermitsPerSecond", "1", "--Versana:Api:BurstPermits", "3");
        var key = await server.CreateWorkspaceAsync("tiny");
        using var client = server.Client(key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetAsync("v1/workspaces/tiny/balance");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await AssertProblemAsync(response, HttpStatusCode.TooManyRequests, CreditProblemTypes.TooManyRequests);
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Replies_AreTheSerializersBytes_WithTheirContentTypes()
    {
        using var client = _server.Client(_key);
        using var reserved = await client.SendAsync(Post("v1/workspaces/acme/reservations", new { feature = "ConversationSummary" }, "whole-1"));
        using var balance = await client.GetAsync("v1/workspaces/acme/balance");
        var ledgers = await _server.Ledger.GetBalanceAsync("acme");
        using var problem = await client.SendAsync(Post("v1/workspaces/acme/reservations", new { feature = "TimeTravel" }, "whole-2"));

        Assert.Equal(("application/json", "utf-8"), (balance.Content.Headers.ContentType?.MediaType, balance.Content.Headers.ContentType?.CharSet));
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);

        // The bytes are the serializer's with the wire options: the balance as the ledger has it (the clock stands
        // still), and the reservation read back and written again.
        Assert.Equal(JsonSerializer.Serialize(ledgers, VersanaJson.Wire), await balance.Content.ReadAsStringAsync());
        var reservedText = await reserved.Content.ReadAsStringAsync();
        Assert.Equal(reservedText, JsonSerializer.Serialize(JsonSerializer.Deserialize<CreditReservationResult>(reservedText, VersanaJson.Wire), VersanaJson.Wire));
    }

    [Theory]
    [InlineData("text/plain", false)]
    [InlineData("application/x-www-form-urlencoded", false)]
    [InlineData("not a media type", false)]
    [InlineData("application/vnd.acme+json", true)]
    [InlineData("APPLICATION/JSON; charset=UTF-8", true)]
    [InlineData("application/json", true)]
    [InlineData("application/json;charset=utf-8", true)]
    public async Task TheContentType_MustBeJson(string contentType, bool accepted)
    {
        using var client = _server.Client(_key);
        var before = await _server.SnapshotAsync("acme");

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces/acme/reservations") { Content = new ByteArrayContent("{\"feature\": \"ConversationSummary\"}"u8.ToArray()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("Idempotency-Key", "type-" + accepted + "-" + contentType.Length);
        using var response = await client.SendAsync(request);

        if (accepted)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return;
        }

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, CreditProblemTypes.InvalidRequest);
        Assert.Contains("Content-Type: application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await _server.AssertUnchangedAsync("acme", before);
    }

    [Theory]
    [InlineData("application/json; charset=klingon", "{\"feature\": \"ConversationSummary\"}", "UTF-8")]
    [InlineData("application/json", "{\"feature\": \"ConversationSummary\", \"credits\": 1, \"credits\": 900}", "credits")]
    public async Task ABodyInACharsetThatCannotBeRead_OrWithARepeatedMember_IsA400Problem_AndChangesNothing(string contentType, string body, string named)
    {
        using var client = _server.Client(_key);
        var before = await _server.SnapshotAsync("acme");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces/acme/reservations") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("Idempotency-Key", "unreadable-" + named);

        using var response = await client.SendAsync(request);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, CreditProblemTypes.InvalidRequest);
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await _server.AssertUnchangedAsync("acme", before);
    }

    [Fact]
    public async Task Bodies_InAnotherCharset_OrSentInChunks_AreRead()
    {
        using var client = _server.Client(_key);
        const string Body = "{\"feature\": \"ConversationSummary\", \"actor\": \"agent-\u00e9\"}";

        using var utf16 = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces/acme/reservations") { Content = new StringContent(Body, Encoding.Unicode, "application/json") };
        utf16.Headers.Add("Idempotency-Key", "charset-1");
        using var utf16Reply = await client.SendAsync(utf16);

        // No Content-Length: the client sends the body chunked, in pieces smaller than the body.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces/acme/reservations")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Body)), bufferSize: 7) { Headers = { ContentType = new("application/json") } },
        };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.Add("Idempotency-Key", "chunked-1");
        using var chunkedReply = await client.SendAsync(chunked);

        foreach (var reply in new[] { utf16Reply, chunkedReply })
        {
            Assert.True(reply.StatusCode == HttpStatusCode.Created, await reply.Content.ReadAsStringAsync());
            Assert.Equal("agent-\u00e9", (await JsonAsync(reply)).GetProperty("reservation").GetProperty("actor").GetString());
        }
    }

    [Fact]
    public async Task TenMegabyteBody_Is413_NothingChanged()
    {
        using var client = _server.Client(_key);
        var before = await _server.SnapshotAsync("acme");
        var huge = "{\"feature\": \"ConversationSummary\", \"actor\": \"" + new string('x', 10 * 1024 * 1024) + "\"}";

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces/acme/reservations") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", "huge-1");

        // As a well-behaved client sending a large body does: the server refuses before the body is sent.
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, CreditProblemTypes.PayloadTooLarge);
        await _server.AssertUnchangedAsync("acme", before);
    }

    [Theory]
    [InlineData("{\"feature\": \"ConversationSummary\"", "malformed JSON")]
    [InlineData("{\"feature\": 42}", "wrong type")]
    [InlineData("{\"feature\": \"ConversationSummary\", \"credits\": \"ten\"}", "number as string")]
    [InlineData("{\"feature\": \"ConversationSummary\", \"credits\": 1e40}", "huge number")]
    [InlineData("{\"feature\": \"ConversationSummary\", \"credits\": 9223372036854775807}", "credits above the per-request maximum", "out-of-range")]
    [InlineData("{\"feature\": \"ConversationSummary\", \"credits\": -5}", "negative credits", "out-of-range")]
    [InlineData("{\"feature\": \"TimeTravel\"}", "unknown feature")]
    [InlineData("{\"feature\": \"ConversationSummary\", \"bogus\": true}", "unknown member")]
    [InlineData("{\"feature\": \"ConversationSummary\", \"ttlSeconds\": 0}", "zero TTL")]
    [InlineData("{\"feature\": \"ConversationSummary\"} {\"feature\": \"ReplySuggestion\"}", "a second value after the body")]
    [InlineData("{\"feature\": \"ConversationSummary\"} x", "trailing garbage")]
    [InlineData("null", "null body")]
    [InlineData("", "no body")]
    public async Task BadReservationInput_Is400_NothingChanged(string body, string why, string type = "invalid-request")
    {
        using var client = _server.Client(_key);
        var before = await _server.SnapshotAsync("acme");

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces/acme/reservations") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", "bad-" + why.Replace(' ', '-'));
        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, CreditProblemTypes.InvalidRequest.Replace("invalid-request", type, StringComparison.Ordinal));
        await _server.AssertUnchangedAsync("acme", before);
    }

    [Theory]
    [InlineData("v1/workspaces/acme/reservations", "{\"feature\": \"ConversationSummary\"}", null, "missing Idempotency-Key")]
    [InlineData("v1/workspaces/acme/reservations", "{\"feature\": \"ConversationSummary\"}", "has space", "malformed Idempotency-Key")]
    [InlineData("v1/workspaces/acme/boost-packs", "{\"credits\": 1234}", "b-odd", "boost size not on offer", "out-of-range")]
    [InlineData("v1/workspaces/acme/boost-packs", "{\"credits\": \"1000\"}", "b-str", "boost size as string")]
    [InlineData("v1/workspaces/acme/ai/summary", "{\"conversation\": {\"id\": \"c\", \"messages\": []}}", null, "empty conversation")]
    [InlineData("v1/workspaces/acme/ai/classification", "{}", null, "nothing to classify")]
    [InlineData("v1/workspaces/acme/ai/summary", "{\"conversation\": 7}", null, "conversation of the wrong type")]
    public async Task OtherBadInput_Is400_NothingChanged(string path, string body, string? key, string why, string type = "invalid-request")
    {
        using var client = _server.Client(_key);
        var before = await _server.SnapshotAsync("acme");

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, CreditProblemTypes.InvalidRequest.Replace("invalid-request", type, StringComparison.Ordinal));
        await _server.AssertUnchangedAsync("acme", before);
    }

    [Theory]
    [InlineData("2026-13-01", "1")]
    [InlineData("yesterday", "1")]
    public async Task BadQuery_Is400(string from, string limit)
    {
        using var client = _server.Client(_key);

        using var usage = await client.GetAsync($"v1/workspaces/acme/usage?from={from}");
        using var entries = await client.GetAsync($"v1/workspaces/acme/entries?limit={limit}000000");

        await AssertProblemAsync(usage, HttpStatusCode.BadRequest, CreditProblemTypes.InvalidRequest);
        await AssertProblemAsync(entries, HttpStatusCode.BadRequest, CreditProblemTypes.InvalidRequest);
    }
}
