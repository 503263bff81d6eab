namespace Versana.Sdk;

/// <summary>
/// Marks an AI API that must run inside a credit guard: a call outside <see cref="ICreditGuard"/>, a guard
/// decorator or a guarded endpoint is reported by the Versana analyzer (VCX0001).
/// </summary>
/// <param name="feature">The name of the AI feature the member uses, as in <see cref="AiFeature.Name"/>.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface | AttributeTargets.Method, Inherited = true)]
public sealed class RequiresCreditGuardAttribute(string feature) : Attribute
{
    /// <summary>On a type: each member spends the feature of the feature interface that declares it.</summary>
    public const string AnyFeature = "*";

    /// <summary>Gets the feature name.</summary>
    public string Feature { get; } = feature;
}

/// <summary>Marks a type as a credit-guard decorator: it may call raw AI backends because it guards every call.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CreditGuardDecoratorAttribute : Attribute;

/// <summary>The built-in feature names, for attribute arguments.</summary>
public static class AiFeatureNames
{
    /// <summary>The <see cref="AiFeature.ReplySuggestion"/> name.</summary>
    public const string ReplySuggestion = "ReplySuggestion";

    /// <summary>The <see cref="AiFeature.ConversationSummary"/> name.</summary>
    public const string ConversationSummary = "ConversationSummary";

    /// <summary>The <see cref="AiFeature.AutomatedResponse"/> name.</summary>
    public const string AutomatedResponse = "AutomatedResponse";

    /// <summary>The <see cref="AiFeature.Classification"/> name.</summary>
    public const string Classification = "Classification";
}
