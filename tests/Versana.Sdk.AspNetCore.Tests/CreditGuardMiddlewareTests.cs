using System.Net;
using System.Security.Claims;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Versana.Sdk.AspNetCore.Tests;

public sealed class CreditGuardMiddlewareTests
{
    private static readonly Conversation s_conversation = new("c1", [new ConversationMessage("customer", "My invoice is wrong, please fix it today.", true)]);

    private static void MapAll(WebApplication app)
    {
        app.MapGet("/w/{workspaceId}/summarize", () => "ok").RequireAiCredits(AiFeature.ConversationSummary);
        app.MapGet("/w/{workspaceId}/status/{code:int}", (int code) => Results.StatusCode(code)).RequireAiCredits(AiFeature.ConversationSummary);
        app.MapGet("/w/{workspaceId}/throw", string () => throw new InvalidOperationException("The AI backend failed.")).RequireAiCredits(AiFeature.ConversationSummary);
        app.MapGet("/w/{workspaceId}/auto", () => "sent").RequireAiCredits(AiFeature.AutomatedResponse);
        app.MapPost("/w/{workspaceId}/assign", () => "assigned");
        app.MapPost("/w/{workspaceId}/nested", async (IConversationSummaryClient summaries, CancellationToken ct) =>
        {
            // Two guarded client calls inside one guarded request: the request's reservation pays for both.
            var first = await summaries.SummarizeAsync(s_conversation, ct);
            var second = await summaries.SummarizeAsync(s_conversation, ct);
            return first.Text == second.Text ? "same" : "different";
        }).RequireAiCredits(AiFeature.ConversationSummary);
        app.MapGet("/w/{workspaceId}/metered", (HttpContext context) =>
        {
            context.Features.GetRequiredFeature<ICreditGuardFeature>().Context.ReportActualCost(2);
            return "metered";
        }).RequireAiCredits(AiFeature.ConversationSummary, credits: 5);

        var group = app.MapGroup("/w/{workspaceId}/g").RequireAiCredits(AiFeature.ReplySuggestion);
        group.MapGet("/paid", () => "paid");
        group.MapGet("/free", () => "free").DisableCreditGuard();
    }

    [Fact]
    public async Task SuccessfulResponse_IsCharged_AndCarriesTheRemainingBalance()
    {
        await using var app = await GuardedApp.StartAsync(MapAll);

        using var response = await app.Client.GetAsync("/w/acme/summarize");
        await app.WaitForCompletionAsync("/w/acme/summarize");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var balance = await app.BalanceAsync();
        Assert.Equal(1, balance.Used);
        Assert.Equal(0, balance.Held);
        Assert.Equal(balance.Available.ToString(), Assert.Single(response.Headers.GetValues("Versana-Credits-Available")));
        Assert.Contains(await app.EntriesAsync(), e => e.Kind == LedgerEntryKind.Committed && e.Feature == AiFeature.ConversationSummary);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task ErrorStatus_IsReleased_NothingCharged(int status)
    {
        await using var app = await GuardedApp.StartAsync(MapAll);

        using var response = await app.Client.GetAsync($"/w/acme/status/{status}");
        await app.WaitForCompletionAsync($"/w/acme/status/{status}");

        Assert.Equal(status, (int)response.StatusCode);
        var balance = await app.BalanceAsync();
        Assert.Equal(0, balance.Used);
        Assert.Equal(0, balance.Held);
        Assert.Equal(1, app.Ledger.Releases);
        Assert.Equal(0, app.Ledger.Commits);

        // The header gives the balance with the released credits back, not the one the hold left.
        Assert.Equal(balance.Available.ToString(), Assert.Single(response.Headers.GetValues("Versana-Credits-Available")));
    }

    [Fact]
    public async Task EndpointException_IsReleased_NothingCharged()
    {
        await using var app = await GuardedApp.StartAsync(MapAll);

        using var response = await app.Client.GetAsync("/w/acme/throw");
        await app.WaitForCompletionAsync("/w/acme/throw");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(0, (await app.BalanceAsync()).Used);
        Assert.Equal(1, app.Ledger.Releases);
    }

    [Fact]
    public async Task AnExceptionHandlersErrorPage_StillCarriesTheBalance()
    {
        // UseExceptionHandler, outside the guard, clears the response the endpoint had begun and writes its own.
        await using var app = await GuardedApp.StartAsync(MapAll, services: s => s.AddSingleton<IStartupFilter>(new Before(a =>
            a.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = c => c.Response.WriteAsync("sorry") }))));

        using var response = await app.Client.GetAsync("/w/acme/throw");
        await app.WaitForCompletionAsync("/w/acme/throw");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("sorry", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, app.Ledger.Releases);
        Assert.Equal((await app.BalanceAsync()).Available.ToString(), Assert.Single(response.Headers.GetValues("Versana-Credits-Available")));
    }

    [Fact]
    public async Task WorkspaceFromTheSignedInUsersClaim()
    {
        // Signed in by a scheme before the guard; the route names no workspace.
        await using var app = await GuardedApp.StartAsync(
            a => a.MapGet("/summarize", () => "ok").RequireAiCredits(AiFeature.ConversationSummary),
            services: s => s.AddSingleton<IStartupFilter>(new Before(a => a.Use((context, next) =>
            {
                if (context.Request.Headers["X-Signed-In-To"] is [{ } workspace])
                {
                    context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("versana:workspace", workspace)], "test"));
                }

                return next(context);
            }))));

        using var signedIn = new HttpRequestMessage(HttpMethod.Get, "/summarize") { Headers = { { "X-Signed-In-To", "acme" } } };
        using var charged = await app.Client.SendAsync(signedIn);
        await app.WaitForCompletionAsync("/summarize");
        using var anonymous = await app.Client.GetAsync("/summarize");
        await app.WaitForCompletionAsync("/summarize");

        Assert.Equal(HttpStatusCode.OK, charged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(1, (await app.BalanceAsync()).Used);
    }

    [Fact]
    public async Task AbortedRequest_IsReleased_NothingCharged()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await GuardedApp.StartAsync(a =>
            a.MapGet("/w/{workspaceId}/hang", async (CancellationToken ct) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, ct);
                return "never";
            }).RequireAiCredits(AiFeature.ConversationSummary));

        using var cancel = new CancellationTokenSource();
        var request = app.Client.GetAsync("/w/acme/hang", cancel.Token);
        await started.Task;
        Assert.Equal(1, (await app.BalanceAsync()).Held);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await app.WaitForCompletionAsync("/w/acme/hang");

        var balance = await app.BalanceAsync();
        Assert.Equal(0, balance.Used);
        Assert.Equal(0, balance.Held);
        Assert.Equal(1, app.Ledger.Releases);
    }

    [Fact]
    public async Task StreamedResponse_IsChargedOnce_OnCompletion()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await GuardedApp.StartAsync(a =>
            a.MapGet("/w/{workspaceId}/stream", async (HttpContext context) =>
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("data: one\n\n");
                await context.Response.Body.FlushAsync();
                await gate.Task;
                await context.Response.WriteAsync("data: two\n\n");
            }).RequireAiCredits(AiFeature.ReplySuggestion));

        using var response = await app.Client.GetAsync("/w/acme/stream", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("data: one", await reader.ReadLineAsync());

        // Mid-stream the credits are held, not charged.
        var during = await app.BalanceAsync();
        Assert.Equal((0, 1), (during.Used, during.Held));

        gate.SetResult();
        Assert.Contains("data: two", await reader.ReadToEndAsync());
        await app.WaitForCompletionAsync("/w/acme/stream");

        var after = await app.BalanceAsync();
        Assert.Equal((1, 0), (after.Used, after.Held));
        Assert.Equal(1, app.Ledger.Commits);
    }

    [Fact]
    public async Task StreamedResponse_TheClientLeavesAfterTheFirstEvent_IsCharged()
    {
        await using var app = await GuardedApp.StartAsync(a =>
            a.MapGet("/w/{workspaceId}/stream", async (HttpContext context) =>
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("data: one\n\n");
                await context.Response.Body.FlushAsync();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }).RequireAiCredits(AiFeature.ReplySuggestion));

        using (var cancel = new CancellationTokenSource())
        {
            using var response = await app.Client.GetAsync("/w/acme/stream", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
            Assert.Equal("data: one", await reader.ReadLineAsync(cancel.Token));
            await cancel.CancelAsync();
        }

        await app.WaitForCompletionAsync("/w/acme/stream");
        var after = await app.BalanceAsync();
        Assert.Equal((1, 0), (after.Used, after.Held));
        Assert.Equal((1, 0), (app.Ledger.Commits, app.Ledger.Releases));
    }

    [Fact]
    public async Task StreamedResponse_FailingAfterItsFirstEvent_IsCharged()
    {
        await using var app = await GuardedApp.StartAsync(a =>
            a.MapGet("/w/{workspaceId}/stream", async (HttpContext context) =>
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("data: one\n\n");
                await context.Response.Body.FlushAsync();
                throw new HttpRequestException("The model's connection dropped.");
            }).RequireAiCredits(AiFeature.ReplySuggestion));

        using var response = await app.Client.GetAsync("/w/acme/stream", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("data: one", await reader.ReadLineAsync());

        await app.WaitForCompletionAsync("/w/acme/stream");
        var after = await app.BalanceAsync();
        Assert.Equal((1, 0), (after.Used, after.Held));
        Assert.Equal((1, 0), (app.Ledger.Commits, app.Ledger.Releases));
    }

    [Fact]
    public async Task GuardedClientsInsideAGuardedEndpoint_ReuseItsReservation_ChargedOnce()
    {
        await using var app = await GuardedApp.StartAsync(MapAll);

        using var response = await app.Client.PostAsync("/w/acme/nested", null);
        await app.WaitForCompletionAsync("/w/acme/nested");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, app.Ledger.Reserves);
        Assert.Equal(1, (await app.BalanceAsync()).Used);
    }

    [Fact]
    public async Task EndpointsWithoutMetadata_AndDisabledEndpoints_NeverTouchTheLedger()
    {
        await using var app = await GuardedApp.StartAsync(MapAll);
        var before = await app.EntriesAsync();

        using var assign = await app.Client.PostAsync("/w/acme/assign", null);
        using var free = await app.Client.GetAsync("/w/acme/g/free");
        await app.WaitForCompletionAsync("/w/acme/g/free");

        Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
        Assert.False(assign.Headers.Contains("Versana-Credits-Available"));
        Assert.Equal((0, 0, 0), (app.Ledger.Reserves, app.Ledger.Commits, app.Ledger.Releases));
        Assert.Equal(before.Count, (await app.EntriesAsync()).Count);

        // The group's other endpoint is charged, as the feature the group names.
        using var paid = await app.Client.GetAsync("/w/acme/g/paid");
        await app.WaitForCompletionAsync("/w/acme/g/paid");
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Contains(await app.EntriesAsync(), e => e.Kind == LedgerEntryKind.Committed && e.Feature == AiFeature.ReplySuggestion);
    }

    [Fact]
    public async Task MeteredEndpoint_ChargesTheReportedCost_AndReturnsTheRest()
    {
        await using var app = await GuardedApp.StartAsync(MapAll);

        using var response = await app.Client.GetAsync("/w/acme/metered");
        await app.WaitForCompletionAsync("/w/acme/metered");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var balance = await app.BalanceAsync();
        Assert.Equal(2, balance.Used);
        Assert.Equal(2998, balance.Available);
    }

    [Fact]
    public async Task ExhaustedPool_Is402ProblemWithRetryAfterUntilTheRefresh_NothingChanged()
    {
        await using var app = await GuardedApp.StartAsync(MapAll);
        await app.SpendAsync(3000);
        var before = await app.EntriesAsync();

        using var response = await app.Client.GetAsync("/w/acme/summarize");
        await app.WaitForCompletionAsync("/w/acme/summarize");

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(CreditProblemTypes.CreditsExhausted, problem.GetProperty("type").GetString());
        Assert.Equal(402, problem.GetProperty("status").GetInt32());
        Assert.Equal("CreditsExhausted", problem.GetProperty("reason").GetString());
        Assert.Equal([1000, 5000, 20000], problem.GetProperty("boostPackSizes").EnumerateArray().Select(e => e.GetInt64()));

        // The clock is 2026-11-15 12:00 UTC; the pool refreshes on 1 December at 00:00 in the workspace's zone (UTC).
        var refresh = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(refresh - app.Clock.GetUtcNow(), response.Headers.RetryAfter?.Delta);
        Assert.Equal(refresh, problem.GetProperty("resumesAt").GetDateTimeOffset());
        Assert.Equal("0", Assert.Single(response.Headers.GetValues("Versana-Credits-Available")));
        Assert.Equal(before, await app.EntriesAsync());
    }

    [Fact]
    public async Task AutomationOff_Is403Problem_WithoutRetryAfter()
    {
        await using var app = await GuardedApp.StartAsync(MapAll, automation: false);

        using var response = await app.Client.GetAsync("/w/acme/auto");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(CreditProblemTypes.AutomationNotActivated, problem.GetProperty("type").GetString());
        Assert.Null(response.Headers.RetryAfter);
        Assert.Empty(await app.EntriesAsync() is var entries ? entries.Where(e => e.Kind == LedgerEntryKind.Reserved) : []);
    }

    [Fact]
    public async Task SoloPlan_Is402PlanExcludesAi()
    {
        await using var app = await GuardedApp.StartAsync(MapAll, plan: "Solo");

        using var response = await app.Client.GetAsync("/w/acme/summarize");

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(CreditProblemTypes.PlanExcludesAi, problem.GetProperty("type").GetString());
        Assert.Equal(0, (await app.BalanceAsync()).Used);
    }

    [Fact]
    public async Task OnRejected_ShapesTheRefusal()
    {
        await using var app = await GuardedApp.StartAsync(MapAll, configure: o => o.OnRejected = async (rejected, ct) =>
        {
            rejected.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await rejected.HttpContext.Response.WriteAsync($"paused:{rejected.Denial.Reason}:{rejected.Balance?.Available}", ct);
        });
        await app.SpendAsync(3000);

        using var response = await app.Client.GetAsync("/w/acme/summarize");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("paused:CreditsExhausted:0", await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task TheSameIdempotencyKey_IsChargedOnce()
    {
        await using var app = await GuardedApp.StartAsync(MapAll);

        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/w/acme/summarize") { Headers = { { "Idempotency-Key", "retry-me-1" } } };
            using var response = await app.Client.SendAsync(request);
            await app.WaitForCompletionAsync("/w/acme/summarize");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, (await app.BalanceAsync()).Used);
    }

    [Fact]
    public async Task ARetryOfAChargedRequest_IsServedWhilePaused_AlthoughARefusalIsRemembered()
    {
        await using var app = await GuardedApp.StartAsync(MapAll);
        using (var first = new HttpRequestMessage(HttpMethod.Get, "/w/acme/summarize") { Headers = { { "Idempotency-Key", "paid-1" } } })
        {
            using var charged = await app.Client.SendAsync(first);
            await app.WaitForCompletionAsync("/w/acme/summarize");
            Assert.Equal(HttpStatusCode.OK, charged.StatusCode);
        }

        await app.SpendAsync(2_999);
        using (var refused = await app.Client.GetAsync("/w/acme/summarize"))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        }

        // The refusal is remembered: a new request is refused without asking the ledger.
        var reserves = app.Ledger.Reserves;
        using (var fromMemory = await app.Client.GetAsync("/w/acme/summarize"))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, fromMemory.StatusCode);
        }

        Assert.Equal(reserves, app.Ledger.Reserves);

        // The retry of the request already paid for (its response lost, say) gets what it paid for, and no charge.
        var used = (await app.BalanceAsync()).Used;
        using var retry = new HttpRequestMessage(HttpMethod.Get, "/w/acme/summarize") { Headers = { { "Idempotency-Key", "paid-1" } } };
        using var response = await app.Client.SendAsync(retry);
        await app.WaitForCompletionAsync("/w/acme/summarize");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(used, (await app.BalanceAsync()).Used);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a-key-far-too-long-a-key-far-too-long-a-key-far-too-long-a-key-far-too-long-a-key-far-too-long-a-key-far-too-long-a-key-far-too-long")]
    public async Task MalformedIdempotencyKey_Is400_NothingChanged(string key)
    {
        await using var app = await GuardedApp.StartAsync(MapAll);
        var before = await app.EntriesAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/w/acme/summarize");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(CreditProblemTypes.InvalidRequest, problem.GetProperty("type").GetString());
        Assert.Equal(before, await app.EntriesAsync());
    }

    [Fact]
    public async Task TwoIdempotencyKeyHeaders_Are400_NothingChanged()
    {
        await using var app = await GuardedApp.StartAsync(MapAll);
        var before = await app.EntriesAsync();

        // Two header lines, which HttpClient would join into one.
        var address = app.Client.BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var request = $"GET /w/acme/summarize HTTP/1.1\r\nHost: {address.Authority}\r\nIdempotency-Key: k-one\r\nIdempotency-Key: k-two\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        var reply = await reader.ReadToEndAsync();
        await app.WaitForCompletionAsync("/w/acme/summarize");

        Assert.True(reply.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), reply);
        Assert.True(reply.Contains("header; this request has 2.", StringComparison.Ordinal), reply);
        Assert.Equal(before, await app.EntriesAsync());
    }

    [Fact]
    public async Task UnknownWorkspace_Is404_AndNoWorkspace_Is403()
    {
        await using var app = await GuardedApp.StartAsync(a =>
        {
            MapAll(a);
            a.MapGet("/anonymous", () => "x").RequireAiCredits(AiFeature.Classification);
        });

        using var unknown = await app.Client.GetAsync("/w/globex/summarize");
        using var none = await app.Client.GetAsync("/anonymous");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(CreditProblemTypes.WorkspaceNotFound, (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        Assert.Equal(CreditProblemTypes.WorkspaceUnresolved, (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(0, (await app.BalanceAsync()).Used);
    }

    [Fact]
    public async Task WorkspaceFromAHeader_WhenConfigured()
    {
        await using var app = await GuardedApp.StartAsync(
            a => a.MapGet("/summarize", () => "ok").RequireAiCredits(AiFeature.ConversationSummary),
            o => o.WorkspaceHeader = "X-Workspace");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/summarize") { Headers = { { "X-Workspace", "acme" } } };
        using var response = await app.Client.SendAsync(request);
        await app.WaitForCompletionAsync("/summarize");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await app.BalanceAsync()).Used);
    }

    [Fact]
    public async Task ControllerActions_WithRequiresAiCredits_AreCharged()
    {
        await using var app = await GuardedApp.StartAsync(
            a => a.MapControllers(),
            services: s => s.AddControllers().AddApplicationPart(typeof(SummariesController).Assembly));

        using var paid = await app.Client.PostAsync("/api/acme/summaries", null);
        await app.WaitForCompletionAsync("/api/acme/summaries");
        using var free = await app.Client.GetAsync("/api/acme/summaries/free");
        await app.WaitForCompletionAsync("/api/acme/summaries/free");

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
        Assert.Equal(1, (await app.BalanceAsync()).Used);
        Assert.Equal(1, app.Ledger.Reserves);
    }

    [Fact]
    public async Task TwoHundredParallelRequests_On50Credits_Exactly50Succeed()
    {
        await using var app = await GuardedApp.StartAsync(a =>
            a.MapGet("/w/{workspaceId}/one", () => "ok").RequireAiCredits(AiFeature.ConversationSummary, credits: 1));
        await app.SpendAsync(2950);

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await app.Client.GetAsync("/w/acme/one");
            return response.StatusCode;
        }));

        Assert.Equal(50, responses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(150, responses.Count(s => s == HttpStatusCode.PaymentRequired));
        var balance = await app.BalanceAsync();
        Assert.Equal((0, 0, 3000), (balance.Available, balance.Held, balance.Used));
        var verification = await app.Ledger.Inner.VerifyAsync(GuardedApp.Workspace);
        Assert.True(verification.IsConsistent, string.Join("; ", verification.Differences));
        Assert.Equal(balance.Available, verification.Replayed.Available);
    }

    [Fact]
    public void UseCreditGuard_WithoutItsServices_SaysWhatToAdd()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddVersana().UseInMemoryLedger();
        using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.UseCreditGuard());
        Assert.Contains("AddCreditGuardMiddleware", error.Message);
    }

    [Fact]
    public async Task InvalidOptions_FailAtStart_WithWhatToFix()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            GuardedApp.StartAsync(MapAll, o =>
            {
                o.ReservationTtl = TimeSpan.Zero;
                o.BalanceHeader = "";
            }));
        Assert.Contains("ReservationTtl must be positive", error.Message);
        Assert.Contains("BalanceHeader must name a header", error.Message);
    }
}

/// <summary>A controller with a charged action and a free one on the same type.</summary>
[ApiController]
[Route("api/{workspaceId}/summaries")]
public sealed class SummariesController : ControllerBase
{
    /// <summary>Charged.</summary>
    [HttpPost]
    [RequiresAiCredits(AiFeatureNames.ConversationSummary)]
    public IActionResult Summarize() => Ok("summary");

    /// <summary>Free.</summary>
    [HttpGet("free")]
    public IActionResult Free() => Ok("free");
}

/// <summary>Puts middleware in front of the app's own pipeline (the guard's test app builds the rest).</summary>
internal sealed class Before(Action<IApplicationBuilder> configure) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        configure(app);
        next(app);
    };
}
