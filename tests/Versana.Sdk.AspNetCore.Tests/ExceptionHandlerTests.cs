using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Versana.Sdk.AspNetCore.Tests;

public sealed class ExceptionHandlerTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(string plan, bool problemDetails, long spent = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(s_now));
        builder.Services.AddVersana(o => o.WorkspaceId = "acme").UseInMemoryLedger();
        if (problemDetails)
        {
            builder.Services.AddVersanaProblemDetails();
        }
        else
        {
            builder.Services.AddProblemDetails();
        }

        var app = builder.Build();
        app.UseExceptionHandler();

        // No RequireAiCredits: the endpoint calls a guarded chat pipeline itself.
        app.MapGet("/chat", async (ICreditGuard guard, IServiceProvider services) =>
        {
            using var client = new ChatClientBuilder(new EchoChatClient()).UseCreditGuard(AiFeature.ReplySuggestion).Build(services);
            return (await client.GetResponseAsync("hi")).Text;
        });
        var ledger = app.Services.GetRequiredService<ICreditLedger>();
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", plan));
        if (spent > 0)
        {
            var hold = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "spend") { Credits = spent });
            await ledger.CommitAsync("acme", hold.Reservation!.Id);
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    [Fact]
    public async Task APausedChatPipeline_InAnUnguardedEndpoint_Is402Problem_WithRetryAfterAndBalance()
    {
        var (app, client) = await StartAsync("Starter", problemDetails: true, spent: 3_000);
        await using var disposeApp = app;
        using var disposeClient = client;

        using var response = await client.GetAsync("/chat");

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith("#credits-exhausted", problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("ReplySuggestion", problem.RootElement.GetProperty("feature").GetString());
        Assert.Equal(1, problem.RootElement.GetProperty("requested").GetInt64());
        var refresh = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(((long)(refresh - s_now).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.Equal("0", Assert.Single(response.Headers.GetValues("Versana-Credits-Available")));
    }

    [Fact]
    public async Task APlanWithoutAi_Is402PlanExcludesAi()
    {
        var (app, client) = await StartAsync("Solo", problemDetails: true);
        await using var disposeApp = app;
        using var disposeClient = client;

        using var response = await client.GetAsync("/chat");

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith("#plan-excludes-ai", problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheHandler_TheSameRefusalIsA500()
    {
        var (app, client) = await StartAsync("Solo", problemDetails: false);
        await using var disposeApp = app;
        using var disposeClient = client;

        using var response = await client.GetAsync("/chat");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    private sealed class EchoChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "echo")));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
