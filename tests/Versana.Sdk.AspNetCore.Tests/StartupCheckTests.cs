using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Versana.Sdk.AspNetCore.Tests;

public sealed class StartupCheckTests
{
    private static WebApplication Build(bool useCreditGuard, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddVersana().UseInMemoryLedger().AddCreditGuardMiddleware();
        var app = builder.Build();
        app.UseRouting();
        if (useCreditGuard)
        {
            app.UseCreditGuard();
        }

        map(app);
        return app;
    }

    [Fact]
    public async Task GuardedEndpoints_WithoutUseCreditGuard_FailTheStart_NamingTheMissingCall()
    {
        await using var app = Build(useCreditGuard: false, a =>
        {
            a.MapGet("/free", () => "free");
            a.MapGet("/w/{workspaceId}/summarize", () => "ok").RequireAiCredits(AiFeature.ConversationSummary);
        });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("app.UseCreditGuard()", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/w/{workspaceId}/summarize", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ConversationSummary", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGroupRequiringCredits_WithoutUseCreditGuard_FailsTheStart()
    {
        await using var app = Build(useCreditGuard: false, a => a.MapGroup("/ai").RequireAiCredits(AiFeature.ReplySuggestion).MapGet("/reply", () => "ok"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("app.UseCreditGuard()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameApp_WithUseCreditGuard_Starts()
    {
        await using var app = Build(useCreditGuard: true, a => a.MapGet("/w/{workspaceId}/summarize", () => "ok").RequireAiCredits(AiFeature.ConversationSummary));

        await app.StartAsync();
        await app.StopAsync();
    }

    [Fact]
    public async Task OnlyDisabledOrUnguardedEndpoints_StartWithoutTheMiddleware()
    {
        await using var app = Build(useCreditGuard: false, a =>
        {
            a.MapGet("/free", () => "free");
            a.MapGet("/off", () => "off").RequireAiCredits(AiFeature.ConversationSummary).DisableCreditGuard();
        });

        await app.StartAsync();
        await app.StopAsync();
    }
}
