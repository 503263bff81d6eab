using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// The AI feature endpoints of the service. The body is checked before anything is reserved, so bad input
/// never touches the ledger; the work then runs through the guard (the <c>Idempotency-Key</c> header makes
/// a retried request cost nothing more) and the guarded clients inside reuse its reservation.
/// </summary>
internal static class FeatureApiHandlers
{
    public static Task<IResult> SuggestReplyAsync(string workspaceId, HttpContext context, ICreditGuard guard, IReplySuggestionClient client)
        => RunAsync(context, workspaceId, AiFeature.ReplySuggestion, guard, NeedConversation, (body, ct) => client.SuggestReplyAsync(body.Conversation!, ct));

    public static Task<IResult> SummarizeAsync(string workspaceId, HttpContext context, ICreditGuard guard, IConversationSummaryClient client)
        => RunAsync(context, workspaceId, AiFeature.ConversationSummary, guard, NeedConversation, (body, ct) => client.SummarizeAsync(body.Conversation!, ct));

    public static Task<IResult> RespondAsync(string workspaceId, HttpContext context, ICreditGuard guard, IAutomatedResponseClient client)
        => RunAsync(context, workspaceId, AiFeature.AutomatedResponse, guard, NeedConversation, (body, ct) => client.RespondAsync(body.Conversation!, ct));

    public static Task<IResult> ClassifyAsync(string workspaceId, HttpContext context, ICreditGuard guard, IClassificationClient client)
        => RunAsync(
            context,
            workspaceId,
            AiFeature.Classification,
            guard,
            static body => string.IsNullOrWhiteSpace(body.Message) ? "Send {\"message\": \"...\"} to classify." : null,
            (body, ct) => client.ClassifyAsync(body.Message!, ct));

    private static string? NeedConversation(FeatureBody body)
        => body.Conversation is not { Messages.Count: > 0 } conversation || conversation.Messages.Any(m => m is null || m.Text is null)
            ? "Send {\"conversation\": {\"id\": \"...\", \"messages\": [{\"author\": \"...\", \"text\": \"...\", \"fromCustomer\": true}]}}."
            : null;

    private static async Task<IResult> RunAsync<T>(
        HttpContext context,
        string workspaceId,
        AiFeature feature,
        ICreditGuard guard,
        Func<FeatureBody, string?> validate,
        Func<FeatureBody, CancellationToken, Task<T>> work)
    {
        var body = await CreditsApiResults.ReadBodyAsync<FeatureBody>(context);
        if (validate(body) is { } problem)
        {
            throw new ApiProblemException(CreditProblems.Invalid(problem));
        }

        var key = CreditProblems.IdempotencyKeyOf(context.Request, CreditProblems.IdempotencyKeyHeader, out var keyProblem);
        if (keyProblem is not null)
        {
            throw new ApiProblemException(keyProblem);
        }

        var options = new AiCallOptions { WorkspaceId = workspaceId, IdempotencyKey = key };
        var result = await guard.TryExecuteAsync(feature, async (_, ct) => await work(body, ct), options, context.RequestAborted);
        if (result.Succeeded)
        {
            return CreditsApiResults.Ok(result.Value);
        }

        var balance = await guard.GetBalanceAsync(workspaceId, context.RequestAborted);
        return CreditsApiResults.Denied(result.Denial, balance, context.RequestServices.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System);
    }
}
