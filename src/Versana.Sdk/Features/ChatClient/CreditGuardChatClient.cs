using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace Versana.Sdk;

/// <summary>
/// A chat-client pipeline stage that pays for every call with workspace credits: reserved before the model is
/// called, committed when the response (or the whole stream) completes, released if it fails or is abandoned.
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
        // The guarded action pumps the stream into a channel: the charge is committed once, when the stream
        // ends, and released if it fails or the consumer stops reading (which cancels the pump).
        var channel = Channel.CreateBounded<ChatResponseUpdate>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = PumpAsync(channel.Writer, messages, options, stop.Token);

        try
        {
            await foreach (var update in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await pump.ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The consumer stopped early: the pump was cancelled and the guard released the credits.
            }
        }

        await pump.ConfigureAwait(false);
    }

    private async Task<bool> PumpAsync(ChannelWriter<ChatResponseUpdate> writer, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            return await guard.ExecuteAsync(
                feature,
                async (context, ct) =>
                {
                    await foreach (var update in base.GetStreamingResponseAsync(messages, options, ct).ConfigureAwait(false))
                    {
                        foreach (var usage in update.Contents.OfType<UsageContent>())
                        {
                            context.TokensUsed = (context.TokensUsed ?? 0) + (usage.Details.TotalTokenCount ?? 0);
                        }

                        await writer.WriteAsync(update, ct).ConfigureAwait(false);
                    }

                    return true;
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A refusal, a model failure or a cancellation reaches the reader as the stream's error.
            writer.TryComplete(ex);
            throw;
        }
        finally
        {
            writer.TryComplete();
        }
    }
}
