using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Versana.Server.Tests;

public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Shutdown_DrainsAnInFlightAiRequest_WhichIsChargedOnce()
    {
        var folder = Directory.CreateTempSubdirectory("versana-drain-");
        var backend = new GatedBackend();
        var app = await VersanaServer.CreateAsync(
            ["--urls", "http://127.0.0.1:0", "--Versana:DatabasePath", Path.Combine(folder.FullName, "s.db"), "--Versana:AdminKey", ServerHarness.AdminKey, "--Versana:DemoWorkspace", "", "--Logging:LogLevel:Default", "Warning"],
            TextWriter.Null,
            s => s.AddSingleton<IAiFeatureBackend>(backend));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
        using var http = new HttpClient { BaseAddress = address };
        using var admin = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces") { Content = JsonContent.Create(new { workspaceId = "acme", plan = "Starter" }) };
        admin.Headers.Authorization = new("Bearer", ServerHarness.AdminKey);
        var key = (await (await http.SendAsync(admin)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("apiKey").GetString();
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);

        var inFlight = http.PostAsJsonAsync("v1/workspaces/acme/ai/summary", new { conversation = new { id = "c", messages = new[] { new { author = "a", text = "hello", fromCustomer = true } } } });
        await backend.Entered.Task;
        var stopping = app.StopAsync();
        Assert.False(stopping.IsCompleted); // it waits for the request
        backend.Release.SetResult();

        using var response = await inFlight;
        await stopping;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var balance = await app.Services.GetRequiredService<ICreditLedger>().GetBalanceAsync("acme");
        Assert.Equal((1, 0), (balance.Used, balance.Held));
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }

    private sealed class GatedBackend : IAiFeatureBackend
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<ConversationSummary> SummarizeAsync(Conversation conversation, CancellationToken cancellationToken)
        {
            Entered.SetResult();
            await Release.Task;
            return new ConversationSummary("summary", conversation.Messages.Count);
        }

        public Task<ReplySuggestion> SuggestReplyAsync(Conversation conversation, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<AutomatedResponse> RespondAsync(Conversation conversation, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<MessageClassification> ClassifyAsync(string message, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
