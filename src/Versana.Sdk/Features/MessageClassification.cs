using System.Text.Json.Serialization;

namespace Versana.Sdk;

/// <summary>What an incoming message is about, how the customer feels, and how urgent it is.</summary>
/// <param name="Intent">The intent.</param>
/// <param name="Sentiment">The sentiment.</param>
/// <param name="Priority">The priority.</param>
/// <param name="Confidence">How sure the classifier is, from 0 to 1.</param>
public sealed record MessageClassification(MessageIntent Intent, MessageSentiment Sentiment, MessagePriority Priority, double Confidence);

/// <summary>What a message is about.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessageIntent>))]
public enum MessageIntent
{
    /// <summary>Nothing recognised.</summary>
    Other = 0,

    /// <summary>A question about how something works.</summary>
    Question = 1,

    /// <summary>Charges, invoices, refunds, payments.</summary>
    Billing = 2,

    /// <summary>Something does not work as it should.</summary>
    BugReport = 3,

    /// <summary>The customer wants to cancel or leave.</summary>
    Cancellation = 4,

    /// <summary>Thanks and compliments.</summary>
    Praise = 5,

    /// <summary>The service is down or unreachable.</summary>
    Outage = 6,
}

/// <summary>How the customer feels.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessageSentiment>))]
public enum MessageSentiment
{
    /// <summary>Unhappy.</summary>
    Negative = -1,

    /// <summary>Neither.</summary>
    Neutral = 0,

    /// <summary>Happy.</summary>
    Positive = 1,
}

/// <summary>How soon the message needs an answer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessagePriority>))]
public enum MessagePriority
{
    /// <summary>Whenever convenient.</summary>
    Low = 0,

    /// <summary>In the normal course.</summary>
    Normal = 1,

    /// <summary>Soon.</summary>
    High = 2,

    /// <summary>Now.</summary>
    Urgent = 3,
}
