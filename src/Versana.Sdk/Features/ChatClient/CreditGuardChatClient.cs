using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Versana.Sdk;

/// <summary>
/// A chat-client pipeline stage that pays for every call with workspace credits: reserved before the model is
/// called, committed when the response completes or a stream delivered content, released if the call fails first.
/// </summary>
[CreditGuardDecorator]
internal sealed class CreditGuardChatClient(IChatClient innerClient, ICreditGuard guard, AiFeature feature) : DelegatingChatClient(innerClient)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => guard.ExecuteAsync(
            feature,
            async (context, ct) =>
            {
                var response = await base.GetResponseAsync(messages, options, ct).ConfigureAwait(false);
                if (response.Usage?.TotalTokenCount is { } tokens)
                {
                    context.TokensUsed = (context.TokensUsed ?? 0) + tokens;
                }

                return response;
            },
            cancellationToken: cancellationToken).AsTask();

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var hold = await guard.ReserveAsync(feature, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var disposeHold = hold.ConfigureAwait(false);
        if (!hold.IsGranted)
        {
            throw new AiPausedException(hold.Denial, hold.Balance);
        }

        // The streaming rule: once content reached the consumer the model's work is billed, so the credits are charged
        // whether the stream ends, fails or the consumer stops reading. Only a stream that fails before its first
        // content is free (disposing the hold gives the credits back).
        var charge = false;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                foreach (var usage in update.Contents.OfType<UsageContent>())
                {
                    hold.Context.TokensUsed = (hold.Context.TokensUsed ?? 0) + (usage.Details.TotalTokenCount ?? 0);
                }

                charge |= update.Contents.Any(static c => c is not UsageContent);
                yield return update;
            }

            // A stream that ended without content still ran the model, as a call answering an empty response does.
            charge = true;
        }
        finally
        {
            if (charge)
            {
                await hold.CommitAsync().ConfigureAwait(false);
            }
        }
    }
}
