using Versana.Sdk;

namespace Helpdesk;

/// <summary>The inbox API the page calls: four AI actions paid for with credits, and the free actions.</summary>
internal static class HelpdeskEndpoints
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/conversations", (Inbox inbox) => inbox.All);

        var ticket = api.MapGroup("/conversations/{id}");

        // The AI actions: the middleware reserves before the handler runs and commits when it succeeds; the
        // guarded client inside reuses that reservation, so each click is charged exactly once.
        ticket.MapPost("/summary", async (string id, Inbox inbox, IConversationSummaryClient summaries, CancellationToken ct)
            => inbox.Find(id) is { } t ? Results.Ok(await summaries.SummarizeAsync(t.AsConversation(), ct)) : Results.NotFound())
            .RequireAiCredits(AiFeature.ConversationSummary);
        ticket.MapPost("/reply-suggestion", async (string id, Inbox inbox, IReplySuggestionClient replies, CancellationToken ct)
            => inbox.Find(id) is { } t ? Results.Ok(await replies.SuggestReplyAsync(t.AsConversation(), ct)) : Results.NotFound())
            .RequireAiCredits(AiFeature.ReplySuggestion);
        ticket.MapPost("/classification", async (string id, Inbox inbox, IClassificationClient classifier, CancellationToken ct)
            => inbox.Find(id) is { } t ? Results.Ok(await classifier.ClassifyAsync(t.Messages.Last(m => m.FromCustomer).Text, ct)) : Results.NotFound())
            .RequireAiCredits(AiFeature.Classification);
        ticket.MapPost("/automated-response", async (string id, Inbox inbox, IAutomatedResponseClient responder, CancellationToken ct) =>
        {
            if (inbox.Find(id) is not { } t)
            {
                return Results.NotFound();
            }

            var response = await responder.RespondAsync(t.AsConversation(), ct);
            if (!response.HandOffToAgent)
            {
                inbox.Reply(id, response.Text);
            }

            return Results.Ok(response);
        }).RequireAiCredits(AiFeature.AutomatedResponse);

        // The free actions never touch the ledger.
        ticket.MapPost("/assign", (string id, AssignBody body, Inbox inbox)
            => string.IsNullOrWhiteSpace(body.Agent) ? Results.BadRequest() : inbox.Assign(id, body.Agent) is { } t ? Results.Ok(t) : Results.NotFound());
        ticket.MapPost("/replies", (string id, ReplyBody body, Inbox inbox)
            => string.IsNullOrWhiteSpace(body.Text) ? Results.BadRequest() : inbox.Reply(id, body.Text) is { } t ? Results.Ok(t) : Results.NotFound());

        api.MapGet("/workspace", (ICreditGuard guard, CancellationToken ct) => guard.GetBalanceAsync(cancellationToken: ct));
        api.MapPost("/workspace/automation", async (AutomationBody body, HelpdeskOptions options, ICreditLedger ledger, CancellationToken ct)
            => await ledger.UpdateSettingsAsync(options.Workspace, new WorkspaceSettingsUpdate { AutomationEnabled = body.Enabled }, ct));
    }

    internal sealed record AssignBody(string Agent);

    internal sealed record ReplyBody(string Text);

    internal sealed record AutomationBody(bool Enabled);
}
