namespace Versana.Sdk;

/// <summary>A drafted reply for an agent to review before sending.</summary>
/// <param name="Text">The draft.</param>
/// <param name="Classification">The classification the draft was written for, if known.</param>
public sealed record ReplySuggestion(string Text, MessageClassification? Classification);

/// <summary>A summary of a conversation thread.</summary>
/// <param name="Text">The summary.</param>
/// <param name="MessageCount">The messages summarised.</param>
public sealed record ConversationSummary(string Text, int MessageCount);

/// <summary>A reply sent on behalf of the team without an agent's review.</summary>
/// <param name="Text">The reply.</param>
/// <param name="Classification">The classification the reply was written for.</param>
/// <param name="HandOffToAgent">Whether the message needs a person too (urgent, angry or leaving customers).</param>
public sealed record AutomatedResponse(string Text, MessageClassification Classification, bool HandOffToAgent);
