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
/// Fixes VCX0001 by running the flagged call through an <c>ICreditGuard</c> already in scope (a parameter,
/// local, field or property): <c>await guard.ExecuteAsync(AiFeature.X, async (credits, cancellationToken) => await call)</c>.
/// Offered for awaited calls and for calls that return a task; FixAll supported.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WrapInCreditGuardCodeFix))]
[Shared]
public sealed class WrapInCreditGuardCodeFix : CodeFixProvider
{
    private const string Title = "Run through the credit guard";
    private static readonly string[] s_builtInFeatures = ["ReplySuggestion", "ConversationSummary", "AutomatedResponse", "Classification"];

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("VCX0001");

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call
                || !diagnostic.Properties.TryGetValue("Feature", out var feature) || feature is null
                || FindGuard(model, call, context.CancellationToken) is not { } guard
                || AwaitedType(model, call, context.CancellationToken) is not { } returnKind)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => WrapAsync(context.Document, call, guard, feature, returnKind, ct), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Document> WrapAsync(Document document, InvocationExpressionSyntax call, string guard, string feature, string returnKind, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var featureExpression = s_builtInFeatures.Contains(feature) ? $"AiFeature.{feature}" : $"new AiFeature(\"{feature}\")";
        var executed = $"{guard}.ExecuteAsync({featureExpression}, async (credits, cancellationToken) => await {call.WithoutTrivia()})";

        SyntaxNode target;
        string replacement;
        if (call.Parent is AwaitExpressionSyntax awaited)
        {
            target = awaited;
            replacement = $"await {executed}";
        }
        else
        {
            target = call;
            replacement = returnKind == "Task" ? $"{executed}.AsTask()" : executed;
        }

        var expression = SyntaxFactory.ParseExpression(replacement)
            .WithTriviaFrom(target)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return document.WithSyntaxRoot(root!.ReplaceNode(target, expression));
    }

    /// <summary>Finds an ICreditGuard visible at the call: locals and parameters first, then members.</summary>
    private static string? FindGuard(SemanticModel model, SyntaxNode call, CancellationToken cancellationToken)
    {
        var guardType = model.Compilation.GetTypeByMetadataName("Versana.Sdk.ICreditGuard");
        if (guardType is null)
        {
            return null;
        }

        var inStatic = model.GetEnclosingSymbol(call.SpanStart, cancellationToken)?.IsStatic == true;
        var candidates = model.LookupSymbols(call.SpanStart)
            .Where(s => s is ILocalSymbol or IParameterSymbol || (s is IFieldSymbol or IPropertySymbol && (!inStatic || s.IsStatic)))
            .Where(s => IsGuard(TypeOf(s), guardType))
            .OrderBy(s => s is ILocalSymbol or IParameterSymbol ? 0 : 1);
        return candidates.FirstOrDefault()?.Name;
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    private static bool IsGuard(ITypeSymbol? type, INamedTypeSymbol guardType)
        => type is not null && (SymbolEqualityComparer.Default.Equals(type, guardType) || type.AllInterfaces.Contains(guardType, SymbolEqualityComparer.Default));

    /// <summary>Returns "Task" or "ValueTask" when the call returns an awaitable with a value; null otherwise.</summary>
    private static string? AwaitedType(SemanticModel model, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        if (model.GetTypeInfo(call, cancellationToken).Type is not INamedTypeSymbol { IsGenericType: true } type)
        {
            return null;
        }

        var name = type.ConstructedFrom.ToDisplayString();
        return name switch
        {
            "System.Threading.Tasks.Task<TResult>" => "Task",
            "System.Threading.Tasks.ValueTask<TResult>" => "ValueTask",
            _ => null,
        };
    }
}
