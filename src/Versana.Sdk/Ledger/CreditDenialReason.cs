namespace Versana.Sdk;

/// <summary>
/// Why an AI action was refused.
/// </summary>
public enum CreditDenialReason
{
    /// <summary>The workspace's plan does not include AI features: upgrade to use them.</summary>
    PlanExcludesAi = 1,

    /// <summary>Automated responses are not activated for the workspace.</summary>
    AutomationNotActivated = 2,

    /// <summary>The action costs more than the credits available: AI is paused until the refresh or a boost pack purchase.</summary>
    CreditsExhausted = 3,
}
