namespace Versana.Sdk;

/// <summary>A support conversation: the messages of one thread, oldest first.</summary>
/// <param name="Id">The conversation id.</param>
/// <param name="Messages">The messages, oldest first.</param>
public sealed record Conversation(string Id, IReadOnlyList<ConversationMessage> Messages)
{
    /// <summary>Gets the customer's latest message, or <see langword="null"/>.</summary>
    public ConversationMessage? LastCustomerMessage => Messages.LastOrDefault(m => m.FromCustomer);
}

/// <summary>One message of a conversation.</summary>
/// <param name="Author">Who wrote it (a display name).</param>
/// <param name="Text">The text.</param>
/// <param name="FromCustomer">Whether the customer wrote it (otherwise an agent or automation).</param>
public sealed record ConversationMessage(string Author, string Text, bool FromCustomer);
