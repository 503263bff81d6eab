namespace Versana.Sdk;

/// <summary>Drafts replies for agents to review. Resolved from DI, every call is paid for with credits.</summary>
public interface IReplySuggestionClient
{
    /// <summary>Drafts a reply to the conversation's latest customer message.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The draft.</returns>
    Task<ReplySuggestion> SuggestReplyAsync(Conversation conversation, CancellationToken cancellationToken = default);
}

/// <summary>Summarises conversation threads. Resolved from DI, every call is paid for with credits.</summary>
public interface IConversationSummaryClient
{
    /// <summary>Summarises the conversation.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The summary.</returns>
    Task<ConversationSummary> SummarizeAsync(Conversation conversation, CancellationToken cancellationToken = default);
}

/// <summary>Replies on behalf of the team; requires automation to be activated. Every call is paid for with credits.</summary>
public interface IAutomatedResponseClient
{
    /// <summary>Writes and returns the reply to send for the latest customer message.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The reply.</returns>
    Task<AutomatedResponse> RespondAsync(Conversation conversation, CancellationToken cancellationToken = default);
}

/// <summary>Classifies incoming messages: intent, sentiment and priority in one call, paid for with credits.</summary>
public interface IClassificationClient
{
    /// <summary>Classifies a message.</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The classification.</returns>
    Task<MessageClassification> ClassifyAsync(string message, CancellationToken cancellationToken = default);
}

/// <summary>
/// A raw AI backend: all four features, with no credit guard. Register one with the Versana builder; the SDK
/// wraps it in guarded clients. Calling it directly bypasses the credits, which the analyzer flags.
/// </summary>
/// <remarks>Marked with <c>[RequiresCreditGuard("*")]</c>: a call through this interface is judged by the feature of the member called.</remarks>
[RequiresCreditGuard(RequiresCreditGuardAttribute.AnyFeature)]
public interface IAiFeatureBackend : IReplySuggestionClient, IConversationSummaryClient, IAutomatedResponseClient, IClassificationClient;
