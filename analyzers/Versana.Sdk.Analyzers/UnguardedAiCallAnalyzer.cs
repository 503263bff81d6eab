using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Versana.Sdk.Analyzers;

/// <summary>
/// VCX0001: a call to an AI API that must run inside a credit guard, made outside one.
/// </summary>
/// <remarks>
/// Allowed places: a type marked [CreditGuardDecorator]; a lambda, local function or method passed to
/// ICreditGuard.ExecuteAsync / TryExecuteAsync (and anything nested in it); a member or type marked
/// [RequiresAiCredits] (a guarded endpoint). A call inside a method shaped like the guard's delegate is
/// decided at compilation end (it may be handed to the guard as a method group anywhere in the project);
/// every other call is reported where it is, live and fixable.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnguardedAiCallAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The additional file that lists a project's own AI APIs to guard, one documentation-comment id per line.</summary>
    public const string GuardedApisFileName = "VersanaGuardedApis.txt";

    /// <summary>The diagnostic property that carries the feature name, for code fixes.</summary>
    public const string FeatureProperty = "Feature";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.UnguardedAiCall,
        DiagnosticDescriptors.UnguardedAiCallAtCompilationEnd);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var symbols = KnownSymbols.Create(context.Compilation, context.Options.AdditionalFiles, context.CancellationToken);
        if (symbols is null)
        {
            // Neither the SDK nor a guarded-APIs file: nothing to enforce in this compilation.
            return;
        }

        var state = new CompilationState(symbols);
        context.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(state.AnalyzeMethodReference, OperationKind.MethodReference);
        context.RegisterCompilationEndAction(state.Report);
    }

    private sealed class CompilationState(KnownSymbols symbols)
    {
        private readonly ConcurrentDictionary<ISymbol, byte> _guardedMethods = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentBag<Candidate> _candidates = new();

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (symbols.IsGuardExecute(invocation.TargetMethod))
            {
                // Methods and local functions handed to the guard as method groups run inside it.
                foreach (var argument in invocation.Arguments)
                {
                    if (Unwrap(argument.Value) is IDelegateCreationOperation { Target: IMethodReferenceOperation reference })
                    {
                        _guardedMethods.TryAdd(reference.Method.OriginalDefinition, 0);
                    }
                }

                return;
            }

            Check(context, invocation, invocation.TargetMethod, invocation.Instance?.Type);
        }

        public void AnalyzeMethodReference(OperationAnalysisContext context)
        {
            var reference = (IMethodReferenceOperation)context.Operation;
            if (IsArgumentOfGuard(reference))
            {
                return;
            }

            Check(context, reference, reference.Method, reference.Instance?.Type);
        }

        public void Report(CompilationAnalysisContext context)
        {
            foreach (var candidate in _candidates)
            {
                if (candidate.Context is null || !_guardedMethods.ContainsKey(candidate.Context))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.UnguardedAiCallAtCompilationEnd,
                        candidate.Location,
                        Properties(candidate.Feature),
                        candidate.Member,
                        candidate.Feature));
                }
            }
        }

        private static ImmutableDictionary<string, string?> Properties(string feature)
            => ImmutableDictionary<string, string?>.Empty.Add(FeatureProperty, feature);

        private static IOperation Unwrap(IOperation operation)
        {
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }

        private void Check(OperationAnalysisContext context, IOperation operation, IMethodSymbol method, ITypeSymbol? receiver)
        {
            var feature = symbols.GetRequiredFeature(method) ?? symbols.GetReceiverFeature(receiver, method);
            if (feature is null || symbols.IsGuardedPlace(context.ContainingSymbol))
            {
                return;
            }

            ISymbol? innermost = null;
            for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
            {
                switch (parent)
                {
                    case IAnonymousFunctionOperation lambda when IsArgumentOfGuard(lambda) || IsGuardedEndpointHandler(lambda):
                        return;
                    case ILocalFunctionOperation localFunction:
                        innermost ??= localFunction.Symbol.OriginalDefinition;
                        break;
                }
            }

            var member = method.ContainingType is null ? method.Name : $"{method.ContainingType.Name}.{method.Name}";
            var place = innermost ?? context.ContainingSymbol.OriginalDefinition;
            if (!symbols.IsGuardShaped(place))
            {
                // Only a method shaped like the guard's delegate can be handed to it; anything else is decided now.
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnguardedAiCall, operation.Syntax.GetLocation(), Properties(feature), member, feature));
                return;
            }

            _candidates.Add(new Candidate(operation.Syntax.GetLocation(), member, feature, place));
        }

        /// <summary>
        /// A minimal-API handler: a lambda given to a Map* call whose endpoint chain calls the SDK's RequireAiCredits(...)
        /// and not its DisableCreditGuard() (which wins, as at run time).
        /// </summary>
        private bool IsGuardedEndpointHandler(IOperation lambda)
        {
            var parent = lambda.Parent;
            while (parent is IDelegateCreationOperation or IConversionOperation)
            {
                parent = parent.Parent;
            }

            if (parent is not IArgumentOperation { Parent: IInvocationOperation map } || !map.TargetMethod.Name.StartsWith("Map", StringComparison.Ordinal))
            {
                return false;
            }

            // The route builder it is mapped on: a group made with RequireAiCredits (or DisableCreditGuard) counts too.
            var (groupRequires, groupDisables) = ConventionsOf(map.Instance ?? (map.Arguments.Length > 0 ? map.Arguments[0].Value : null), depth: 0);
            if (groupDisables)
            {
                return false;
            }

            var requires = groupRequires;
            for (IOperation current = map; ;)
            {
                var next = current.Parent switch
                {
                    IArgumentOperation { Parent: IInvocationOperation extension } argument when extension.TargetMethod.IsExtensionMethod && extension.Arguments.Length > 0 && extension.Arguments[0] == argument => extension,
                    IInvocationOperation instanceCall when instanceCall.Instance == current => instanceCall,
                    IConversionOperation conversion => (IOperation)conversion,
                    _ => null,
                };
                if (next is null)
                {
                    return requires;
                }

                if (next is IInvocationOperation call)
                {
                    if (symbols.IsEndpointConvention(call.TargetMethod, "DisableCreditGuard"))
                    {
                        return false;
                    }

                    requires |= symbols.IsEndpointConvention(call.TargetMethod, "RequireAiCredits");
                }

                current = next;
            }
        }

        /// <summary>
        /// The SDK's endpoint conventions applied to a route builder expression: down its chain of calls, and through a
        /// local it was assigned to in its declaration (a route group in a variable), a few groups deep.
        /// </summary>
        private (bool Requires, bool Disables) ConventionsOf(IOperation? builder, int depth)
        {
            var (requires, disables) = (false, false);
            for (var current = builder is null ? null : Unwrap(builder); current is not null && depth < 8;)
            {
                switch (current)
                {
                    case IInvocationOperation call:
                        disables |= symbols.IsEndpointConvention(call.TargetMethod, "DisableCreditGuard");
                        requires |= symbols.IsEndpointConvention(call.TargetMethod, "RequireAiCredits");
                        var receiver = call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null);
                        current = receiver is null ? null : Unwrap(receiver);
                        break;
                    case ILocalReferenceOperation local when Initializer(local) is { } initializer:
                        var (r, d) = ConventionsOf(initializer, depth + 1);
                        return (requires || r, disables || d);
                    default:
                        current = null;
                        break;
                }
            }

            return (requires, disables);
        }

        private static IOperation? Initializer(ILocalReferenceOperation local)
        {
            if (local.SemanticModel is not { } model || local.Local.DeclaringSyntaxReferences.Length != 1)
            {
                return null;
            }

            var syntax = local.Local.DeclaringSyntaxReferences[0].GetSyntax();
            return syntax is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: { } value } && syntax.SyntaxTree == model.SyntaxTree
                ? model.GetOperation(value)
                : null;
        }

        private bool IsArgumentOfGuard(IOperation operation)
        {
            var parent = operation.Parent;
            while (parent is IDelegateCreationOperation or IConversionOperation)
            {
                parent = parent.Parent;
            }

            return parent is IArgumentOperation { Parent: IInvocationOperation invocation } && symbols.IsGuardExecute(invocation.TargetMethod);
        }
    }

    private sealed class Candidate(Location location, string member, string feature, ISymbol? context)
    {
        public Location Location { get; } = location;

        public string Member { get; } = member;

        public string Feature { get; } = feature;

        public ISymbol? Context { get; } = context;
    }
}
