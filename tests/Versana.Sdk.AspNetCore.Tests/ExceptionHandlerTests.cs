using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Versana.Sdk.AspNetCore.Tests;

public sealed class ExceptionHandlerTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An app whose endpoint (no RequireAiCredits) calls a guarded chat pipeline itself.</summary>
    private static Task<GuardedApp> StartAsync(string plan, bool problemDetails)
        => GuardedApp.StartAsync(
            a =>
            {
                a.UseExceptionHandler();
                a.MapGet("/w/{workspaceId}/chat", async (IServiceProvider services) =>
                {
                    using var client = new ChatClientBuilder(new EchoChatClient()).UseCreditGuard(AiFeature.ReplySuggestion).Build(services);
                    return (await client.GetResponseAsync("hi")).Text;
                });
            },
            services: s => _ = problemDetails ? s.AddVersanaProblemDetails() : s.AddProblemDetails(),
            plan: plan);

    [Fact]
    public async Task APausedChatPipeline_InAnUnguardedEndpoint_Is402Problem_WithRetryAfterAndBalance()
    {
        await using var app = await StartAsync("Starter", problemDetails: true);
        await app.SpendAsync(3_000);

        using var response = await app.Client.GetAsync("/w/acme/chat");

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith("#credits-exhausted", problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("ReplySuggestion", problem.RootElement.GetProperty("feature").GetString());
        Assert.Equal(1, problem.RootElement.GetProperty("requested").GetInt64());
        var refresh = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(((long)(refresh - s_now).TotalSeconds).ToString(CultureInfo.InvariantCulture), Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.Equal("0", Assert.Single(response.Headers.GetValues("Versana-Credits-Available")));
    }

    [Fact]
    public async Task APlanWithoutAi_Is402PlanExcludesAi()
    {
        await using var app = await StartAsync("Solo", problemDetails: true);

        using var response = await app.Client.GetAsync("/w/acme/chat");

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith("#plan-excludes-ai", problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheHandler_TheSameRefusalIsA500()
    {
        await using var app = await StartAsync("Solo", problemDetails: false);

        using var response = await app.Client.GetAsync("/w/acme/chat");

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
