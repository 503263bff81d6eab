using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Versana.Sdk;
using Xunit;

namespace Versana.Sdk.Helpdesk.Tests;

/// <summary>The Helpdesk's free actions over HTTP: bad input gets a problem body that says what to send, and changes nothing.</summary>
public sealed class HelpdeskApiTests
{
    [Theory]
    [InlineData("/api/conversations/t-1001/assign", """{"agent":"  "}""", HttpStatusCode.BadRequest, "agent")]
    [InlineData("/api/conversations/t-1001/replies", """{"text":""}""", HttpStatusCode.BadRequest, "text")]
    [InlineData("/api/conversations/t-9999/assign", """{"agent":"sam"}""", HttpStatusCode.NotFound, "GET /api/conversations")]
    public async Task BadInputToAFreeAction_IsAProblemThatSaysWhatToSend_AndChangesNothing(string path, string body, HttpStatusCode status, string hint)
    {
        await using var server = await HelpdeskServer.StartAsync(demoRemainingCredits: 5);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var ledger = server.Services.GetRequiredService<ICreditLedger>();
        var conversationsBefore = await http.GetStringAsync("/api/conversations");
        var entriesBefore = (await ledger.VerifyAsync("demo")).EntryCount;

        using var response = await http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(hint, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(conversationsBefore, await http.GetStringAsync("/api/conversations"));
        Assert.Equal(entriesBefore, (await ledger.VerifyAsync("demo")).EntryCount);
    }
}
