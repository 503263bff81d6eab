using Microsoft.CodeAnalysis;

namespace Versana.Sdk.Analyzers;

/// <summary>The Versana analyzers' diagnostics. Ids are stable; help links point into the repository's docs.</summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "Versana.Credits";

    private const string HelpBase = "https://github.com/versanacx/versana-sdk/blob/main/docs/analyzers.md#";

    public static readonly DiagnosticDescriptor UnguardedAiCall = new(
        id: "VCX0001",
        title: "AI call bypasses the credit guard",
        messageFormat: "'{0}' uses the AI feature '{1}' outside a credit guard; call it through ICreditGuard.ExecuteAsync, a guarded feature client, or a guarded endpoint",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Members marked [RequiresCreditGuard] (or listed in VersanaGuardedApis.txt) spend AI that the workspace pays for in credits. Outside a guard the call is never reserved, charged or refused when the pool is paused.",
        helpLinkUri: HelpBase + "vcx0001",
        customTags: WellKnownDiagnosticTags.CompilationEnd);
}
