namespace Versana.Sdk;

/// <summary>
/// The system prompts the <see cref="ChatClientAiBackend"/> sends for each feature.
/// </summary>
public sealed class ChatClientBackendOptions
{
    /// <summary>Gets or sets the prompt for reply suggestions (a draft an agent reviews).</summary>
    public string ReplySuggestionPrompt { get; set; } =
        "You are a customer support agent's assistant. Draft a short, friendly, accurate reply to the customer's latest message. " +
        "Do not promise what you cannot know. Reply with the draft only.";

    /// <summary>Gets or sets the prompt for conversation summaries.</summary>
    public string ConversationSummaryPrompt { get; set; } =
        "Summarize this support conversation in at most three sentences: the customer's problem, what was done, and what is still open. Reply with the summary only.";

    /// <summary>Gets or sets the prompt for automated responses (sent without review).</summary>
    public string AutomatedResponsePrompt { get; set; } =
        "You answer customer support messages on behalf of the team; your reply is sent as is and must say it is automated. " +
        "Be brief and safe; if the customer is upset, urgent or leaving, say a person will follow up. Reply with the message only.";

    /// <summary>Gets or sets the prompt for classification; the model must answer with the JSON object it describes.</summary>
    public string ClassificationPrompt { get; set; } =
        "Classify the customer message. Answer with JSON only: {\"intent\": one of Other, Question, Billing, BugReport, Cancellation, Praise, Outage; " +
        "\"sentiment\": one of Negative, Neutral, Positive; \"priority\": one of Low, Normal, High, Urgent; \"confidence\": a number from 0 to 1}.";
}
