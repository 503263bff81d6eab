using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Versana.Sdk.Tests.Features;

/// <summary>A chat client that answers from a script and counts calls, reporting token usage like a real model.</summary>
internal sealed class ScriptedChatClient(params string[] answers) : IChatClient
{
    private int _next;

    public int Calls { get; private set; }

    public long TokensPerCall { get; init; } = 42;

    public List<IList<ChatMessage>> Requests { get; } = [];

    /// <summary>Gets the number of words a stream delivers before it fails, or <see langword="null"/> for a stream that never fails.</summary>
    public int? StreamFailsAfterWords { get; init; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        Requests.Add([.. messages]);
        var answer = answers[_next++ % answers.Length];
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            Usage = new UsageDetails { InputTokenCount = TokensPerCall - 2, OutputTokenCount = 2, TotalTokenCount = TokensPerCall },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls++;
        var delivered = 0;
        foreach (var word in answers[_next++ % answers.Length].Split(' '))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            if (delivered++ == StreamFailsAfterWords)
            {
                throw new HttpRequestException("The model's connection dropped.");
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ");
        }

        yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { TotalTokenCount = TokensPerCall })] };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
