using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Versana.Sdk.AspNetCore.Tests;

public sealed class EndpointMetadataTests
{
    [Fact]
    public async Task RequireAiCredits_DescribesTheRefusalsAsProblemResponses()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddVersana().UseInMemoryLedger().AddCreditGuardMiddleware();
        await using var app = builder.Build();
        app.UseCreditGuard();
        app.MapGet("/summarize", () => "ok").RequireAiCredits(AiFeature.ConversationSummary);
        app.MapGet("/free", () => "free");

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).ToList();
        var guarded = endpoints.Single(e => e.DisplayName!.Contains("/summarize", StringComparison.Ordinal));
        var free = endpoints.Single(e => e.DisplayName!.Contains("/free", StringComparison.Ordinal));

        var refusals = guarded.Metadata.OfType<IProducesResponseTypeMetadata>().Where(m => m.StatusCode >= 400).ToList();
        Assert.Equal([StatusCodes.Status402PaymentRequired, StatusCodes.Status403Forbidden], refusals.Select(m => m.StatusCode).Order());
        Assert.All(refusals, m =>
        {
            Assert.Equal(typeof(ProblemDetails), m.Type);
            Assert.Equal(["application/problem+json"], m.ContentTypes);
        });
        Assert.DoesNotContain(free.Metadata.OfType<IProducesResponseTypeMetadata>(), m => m.StatusCode is 402 or 403);
    }
}
