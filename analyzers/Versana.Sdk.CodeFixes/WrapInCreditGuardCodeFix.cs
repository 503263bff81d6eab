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
/// Offered for awaited calls and for calls that return a task; FixAll supported. With no guard in scope, and
/// when it is simple (an instance member of a class with a primary constructor or exactly one constructor),
/// the fix injects one through the constructor first.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WrapInCreditGuardCodeFix))]
[Shared]
public sealed class WrapInCreditGuardCodeFix : CodeFixProvider
{
    private const string Title = "Run through the credit guard";
    private const string InjectTitle = "Run through the credit guard (inject ICreditGuard)";
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
                || AwaitedType(model, call, context.CancellationToken) is not { } returnKind)
            {
                continue;
            }

            if (FindGuard(model, call, context.CancellationToken) is { } guard)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => WrapAsync(context.Document, call, guard, feature, returnKind, ct), equivalenceKey: Title),
                    diagnostic);
            }
            else if (InjectionTarget(model, call, context.CancellationToken) is { } type)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(InjectTitle, ct => InjectAndWrapAsync(context.Document, call, type, feature, returnKind, ct), equivalenceKey: InjectTitle),
                    diagnostic);
            }
        }
    }

    /// <summary>The class to inject a guard into, when that is simple: an instance member, one obvious constructor, no name clash.</summary>
    private static ClassDeclarationSyntax? InjectionTarget(SemanticModel model, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        if (model.GetEnclosingSymbol(call.SpanStart, cancellationToken) is not { IsStatic: false }
            || call.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } type
            || model.Compilation.GetTypeByMetadataName("Versana.Sdk.ICreditGuard") is null
            || model.LookupSymbols(call.SpanStart).Any(s => s.Name is "creditGuard" or "_creditGuard"))
        {
            return null;
        }

        if (type.ParameterList is not null)
        {
            return type;
        }

        var constructors = type.Members.OfType<ConstructorDeclarationSyntax>().Where(c => !c.Modifiers.Any(SyntaxKind.StaticKeyword)).ToList();
        return constructors.Count == 1 && constructors[0].Body is not null ? type : null;
    }

    private static async Task<Document> InjectAndWrapAsync(Document document, InvocationExpressionSyntax call, ClassDeclarationSyntax type, string feature, string returnKind, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!.TrackNodes(call, type);
        var primary = type.ParameterList is not null;
        var (target, expression) = Wrapped(root.GetCurrentNode(call)!, primary ? "creditGuard" : "_creditGuard", feature, returnKind);
        root = root.ReplaceNode(target, expression);

        var current = root.GetCurrentNode(type)!;
        var parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier("creditGuard")).WithType(SyntaxFactory.ParseTypeName("ICreditGuard "));
        ClassDeclarationSyntax injected;
        if (current.ParameterList is { } parameters)
        {
            injected = current.WithParameterList(parameters.AddParameters(parameter));
        }
        else
        {
            var constructor = current.Members.OfType<ConstructorDeclarationSyntax>().Single(c => !c.Modifiers.Any(SyntaxKind.StaticKeyword));
            injected = current.ReplaceNode(
                constructor,
                constructor.AddParameterListParameters(parameter).AddBodyStatements(SyntaxFactory.ParseStatement("_creditGuard = creditGuard;")));
            // The new field takes the first member's indentation and line ending, so the file keeps its style.
            var first = injected.Members[0];
            var field = SyntaxFactory.ParseMemberDeclaration("private readonly ICreditGuard _creditGuard;")!
                .WithLeadingTrivia(first.GetLeadingTrivia())
                .WithTrailingTrivia(first.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)));
            injected = injected.WithMembers(injected.Members.Insert(0, field));
        }

        return document.WithSyntaxRoot(root.ReplaceNode(current, injected.WithAdditionalAnnotations(Formatter.Annotation)));
    }

    private static async Task<Document> WrapAsync(Document document, InvocationExpressionSyntax call, string guard, string feature, string returnKind, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var (target, expression) = Wrapped(call, guard, feature, returnKind);
        return document.WithSyntaxRoot(root!.ReplaceNode(target, expression));
    }

    /// <summary>The node to replace (the call, or its await) and the guarded expression that replaces it.</summary>
    private static (SyntaxNode Target, ExpressionSyntax Expression) Wrapped(InvocationExpressionSyntax call, string guard, string feature, string returnKind)
    {
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
        return (target, expression);
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
