using Microsoft.CodeAnalysis;

namespace Versana.Sdk.Analyzers;

/// <summary>The Versana analyzers' diagnostics. Ids are stable; help links point into the repository's docs.</summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "Versana.Credits";

    private const string HelpBase = "https://github.com/versanacx/versana-sdk/blob/main/docs/analyzers.md#";

    private const string UnguardedTitle = "AI call bypasses the credit guard";
    private const string UnguardedMessage = "'{0}' uses the AI feature '{1}' outside a credit guard; call it through ICreditGuard.ExecuteAsync, a guarded feature client, or a guarded endpoint";
    private const string UnguardedDescription = "Members marked [RequiresCreditGuard] (or listed in VersanaGuardedApis.txt) spend AI that the workspace pays for in credits. Outside a guard the call is never reserved, charged or refused when the pool is paused.";

    /// <summary>VCX0001 reported where the call is (live in the editor, fixable).</summary>
    public static readonly DiagnosticDescriptor UnguardedAiCall = new(
        "VCX0001", UnguardedTitle, UnguardedMessage, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, UnguardedDescription, HelpBase + "vcx0001");

    /// <summary>
    /// VCX0001 for calls inside a method shaped like the guard's delegate: whether it is handed to the guard as a
    /// method group is known only once the whole compilation has been seen.
    /// </summary>
    public static readonly DiagnosticDescriptor UnguardedAiCallAtCompilationEnd = new(
        "VCX0001", UnguardedTitle, UnguardedMessage, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, UnguardedDescription, HelpBase + "vcx0001",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor RawBackendOutsideSdkWiring = new(
        id: "VCX0002",
        title: "Raw AI backend used outside the SDK's wiring",
        messageFormat: "{0}; register the backend with AddVersana(...).UseBackend(...) and resolve the guarded feature clients instead",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A raw backend (a type whose members need the credit guard) created with new or registered as a feature interface hands out AI that is never reserved or charged.",
        helpLinkUri: HelpBase + "vcx0002");

    public static readonly DiagnosticDescriptor ChatPipelineWithoutGuard = new(
        id: "VCX0003",
        title: "IChatClient pipeline built without the credit guard",
        messageFormat: "This IChatClient pipeline has no UseCreditGuard(...) stage, so its calls are never paid for with credits",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A chat pipeline built with ChatClientBuilder or AddChatClient should include UseCreditGuard(feature) so every model call reserves and commits credits.",
        helpLinkUri: HelpBase + "vcx0003");
}
