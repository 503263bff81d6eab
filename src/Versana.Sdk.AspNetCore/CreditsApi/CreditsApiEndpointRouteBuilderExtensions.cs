using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Versana.Sdk;
using Versana.Sdk.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Versana credits HTTP API.</summary>
public static class CreditsApiEndpointRouteBuilderExtensions
{
    /// <summary>Name of the rate-limiting policy the API's endpoints use (register with <c>AddCreditsApi</c>, enable with <c>app.UseRateLimiter()</c>).</summary>
    public const string RateLimitPolicy = "VersanaCreditsApi";

    /// <summary>
    /// Maps the credits API under <c>/v1</c>: balance, reservations (reserve, commit, release), boost packs,
    /// usage, settings and plan, audit entries and verification, the AI features, and (admin key) workspace
    /// creation and API keys. Needs <c>services.AddVersana(...).AddCreditsApi(...)</c>, and
    /// <c>UseAuthentication</c>, <c>UseRateLimiter</c> and <c>UseAuthorization</c> in the pipeline, in that order (callers
    /// without a valid key are then limited too).
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <returns>A builder for the API's endpoints, to add conventions to.</returns>
    public static IEndpointConventionBuilder MapVersanaCreditsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetService<IOptions<CreditsApiOptions>>()?.Value
            ?? throw new InvalidOperationException("MapVersanaCreditsApi() needs its services: call services.AddVersana(...).AddCreditsApi() when configuring services.");

        var api = endpoints.MapGroup("/v1")
            .WithTags("Versana credits")
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxRequestBodySize))
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter<CreditsApiErrorFilter>()
            .DisableCreditGuard();

        var admin = api.MapGroup("").RequireAuthorization(WorkspaceAccessRequirement.AdminPolicy).WithMetadata(new CreditsApiMarker(AdminOnly: true));
        admin.MapPost("/workspaces", CreditsApiHandlers.CreateWorkspaceAsync).WithName("CreateWorkspace");

        var workspace = api.MapGroup("/workspaces/{workspaceId}");
        workspace.MapPost("/api-keys", CreditsApiHandlers.IssueKeyAsync).WithName("IssueApiKey")
            .RequireAuthorization(WorkspaceAccessRequirement.AdminPolicy).WithMetadata(new CreditsApiMarker(AdminOnly: true));

        var scoped = workspace.MapGroup("").RequireAuthorization(WorkspaceAccessRequirement.Policy).WithMetadata(new CreditsApiMarker(AdminOnly: false));
        scoped.MapGet("/balance", CreditsApiHandlers.BalanceAsync).WithName("GetBalance").Produces<CreditBalance>();
        scoped.MapPost("/reservations", CreditsApiHandlers.ReserveAsync).WithName("Reserve").Produces<CreditReservationResult>(StatusCodes.Status201Created).ProducesProblem(402).ProducesProblem(403);
        scoped.MapGet("/reservations/{reservationId}", CreditsApiHandlers.GetReservationAsync).WithName("GetReservation").Produces<CreditReservation>();
        scoped.MapPost("/reservations/{reservationId}/commit", CreditsApiHandlers.CommitAsync).WithName("Commit").Produces<CommitResult>();
        scoped.MapPost("/reservations/{reservationId}/release", CreditsApiHandlers.ReleaseAsync).WithName("Release").Produces<ReleaseResult>();
        scoped.MapPost("/boost-packs", CreditsApiHandlers.BuyBoostPackAsync).WithName("BuyBoostPack").Produces<BoostPackPurchase>(StatusCodes.Status201Created);
        scoped.MapGet("/usage", CreditsApiHandlers.UsageAsync).WithName("GetUsage").Produces<UsageReport>();
        scoped.MapPatch("/settings", CreditsApiHandlers.UpdateSettingsAsync).WithName("UpdateSettings").Produces<CreditBalance>();
        scoped.MapPut("/plan", CreditsApiHandlers.ChangePlanAsync).WithName("ChangePlan").Produces<PlanChangeResult>();
        scoped.MapGet("/entries", CreditsApiHandlers.EntriesAsync).WithName("GetEntries").Produces<IReadOnlyList<LedgerEntry>>();
        scoped.MapGet("/verification", CreditsApiHandlers.VerifyAsync).WithName("Verify").Produces<LedgerVerification>();

        var ai = scoped.MapGroup("/ai");
        ai.MapPost("/reply-suggestion", FeatureApiHandlers.SuggestReplyAsync).WithName("SuggestReply").Produces<ReplySuggestion>().ProducesProblem(402);
        ai.MapPost("/summary", FeatureApiHandlers.SummarizeAsync).WithName("Summarize").Produces<ConversationSummary>().ProducesProblem(402);
        ai.MapPost("/automated-response", FeatureApiHandlers.RespondAsync).WithName("RespondAutomatically").Produces<AutomatedResponse>().ProducesProblem(402).ProducesProblem(403);
        ai.MapPost("/classification", FeatureApiHandlers.ClassifyAsync).WithName("Classify").Produces<MessageClassification>().ProducesProblem(402);
        return api;
    }
}
