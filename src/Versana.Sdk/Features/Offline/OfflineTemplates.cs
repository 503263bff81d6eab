namespace Versana.Sdk;

/// <summary>The offline engine's reply templates, chosen by intent and tuned by sentiment.</summary>
internal static class OfflineTemplates
{
    public static string Reply(string? name, MessageClassification? classification)
    {
        var greeting = name is null ? "Hi," : $"Hi {name},";
        var empathy = classification?.Sentiment == MessageSentiment.Negative ? " I'm sorry for the trouble, and I understand how frustrating this is." : string.Empty;
        var body = (classification?.Intent ?? MessageIntent.Other) switch
        {
            MessageIntent.Billing => "Thanks for reaching out about your billing. I'm checking the charge on your account now and will confirm what happened and any refund due.",
            MessageIntent.BugReport => "Thanks for reporting this. Could you tell me the steps that lead to the problem and roughly when it started? I'll reproduce it and get it to our engineers.",
            MessageIntent.Cancellation => "I'm sorry to hear you're thinking of leaving. I can help with the cancellation, and if something isn't working for you I'd like to try to fix it first.",
            MessageIntent.Praise => "Thank you so much for the kind words! I'll share them with the team.",
            MessageIntent.Outage => "We're aware that the service is unavailable for some customers and our engineers are working on it now. I'll update you as soon as it's restored.",
            MessageIntent.Question => "Good question. Here's how to do that: ",
            _ => "Thanks for your message. Let me look into this for you.",
        };

        return $"{greeting}{empathy} {body}\n\nBest regards,";
    }

    public static string Automated(string? name, MessageClassification classification, bool handOff)
    {
        var greeting = name is null ? "Hello," : $"Hello {name},";
        var body = classification.Intent switch
        {
            MessageIntent.Billing => "we've received your billing question and attached it to your account's invoices.",
            MessageIntent.BugReport => "we've logged your report and included it in our bug triage.",
            MessageIntent.Cancellation => "we've received your cancellation request.",
            MessageIntent.Praise => "thank you for the kind words — they made our day.",
            MessageIntent.Outage => "we know about the outage and are working on it; follow our status page for updates.",
            MessageIntent.Question => "you'll find step-by-step answers in our help center.",
            _ => "we've received your message.",
        };
        var next = handOff ? " A member of our team will follow up personally shortly." : " Reply to this message if you need anything else.";
        return $"{greeting} {body}{next}\n\n(This is an automated response.)";
    }
}
