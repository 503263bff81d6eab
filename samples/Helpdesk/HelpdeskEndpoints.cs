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
            => string.IsNullOrWhiteSpace(body.Agent) ? Invalid("Send {\"agent\": \"...\"}: the agent to assign the conversation to.")
                : inbox.Assign(id, body.Agent) is { } t ? Results.Ok(t) : NoSuchConversation(id));
        ticket.MapPost("/replies", (string id, ReplyBody body, Inbox inbox)
            => string.IsNullOrWhiteSpace(body.Text) ? Invalid("Send {\"text\": \"...\"}: the reply, not empty.")
                : inbox.Reply(id, body.Text) is { } t ? Results.Ok(t) : NoSuchConversation(id));

        api.MapGet("/workspace", (ICreditGuard guard, CancellationToken ct) => guard.GetBalanceAsync(cancellationToken: ct));
        api.MapPost("/workspace/automation", async (AutomationBody body, HelpdeskOptions options, ICreditLedger ledger, CancellationToken ct)
            => await ledger.UpdateSettingsAsync(options.Workspace, new WorkspaceSettingsUpdate { AutomationEnabled = body.Enabled }, ct));
    }

    // Bad input to the free actions gets a problem body that says what to send, and changes nothing.
    private static IResult Invalid(string detail) => Results.Problem(title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    private static IResult NoSuchConversation(string id)
        => Results.Problem(title: "Conversation not found", detail: $"There is no conversation '{id}'; GET /api/conversations lists them.", statusCode: StatusCodes.Status404NotFound);

    internal sealed record AssignBody(string Agent);

    internal sealed record ReplyBody(string Text);

    internal sealed record AutomationBody(bool Enabled);
}
