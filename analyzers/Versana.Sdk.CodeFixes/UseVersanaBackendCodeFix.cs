using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Versana.Sdk.CodeFixes;

/// <summary>
/// Fixes VCX0002 on a DI registration: <c>services.AddSingleton&lt;IConversationSummaryClient, MyBackend&gt;()</c> becomes
/// <c>services.AddVersana().UseBackend(sp => ActivatorUtilities.CreateInstance&lt;MyBackend&gt;(sp))</c>, so every feature
/// client resolves to a guarded decorator. Offered when the backend implements every feature (IAiFeatureBackend).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseVersanaBackendCodeFix))]
[Shared]
public sealed class UseVersanaBackendCodeFix : CodeFixProvider
{
    private const string Title = "Register the backend with AddVersana(...).UseBackend(...)";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("VCX0002");

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        var backendInterface = model?.Compilation.GetTypeByMetadataName("Versana.Sdk.IAiFeatureBackend");
        if (root is null || model is null || backendInterface is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax
                {
                    Expression: MemberAccessExpressionSyntax { Name: GenericNameSyntax { TypeArgumentList.Arguments.Count: 2 } name } access,
                } registration
                || model.GetSymbolInfo(registration, context.CancellationToken).Symbol is not IMethodSymbol method
                || method.TypeArguments[1] is not INamedTypeSymbol backend
                || !backend.AllInterfaces.Contains(backendInterface, SymbolEqualityComparer.Default))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => ReplaceAsync(context.Document, registration, access.Expression, name.TypeArgumentList.Arguments[1], ct), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, InvocationExpressionSyntax registration, ExpressionSyntax services, TypeSyntax backend, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var replacement = SyntaxFactory.ParseExpression($"{services.WithoutTrivia()}.AddVersana().UseBackend(sp => ActivatorUtilities.CreateInstance<{backend.WithoutTrivia()}>(sp))")
            .WithTriviaFrom(registration)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return document.WithSyntaxRoot(root!.ReplaceNode(registration, replacement));
    }
}
