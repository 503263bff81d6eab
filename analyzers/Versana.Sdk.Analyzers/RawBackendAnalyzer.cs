using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Versana.Sdk.Analyzers;

/// <summary>
/// VCX0002: a raw AI backend created with <c>new</c>, or registered in DI as a feature interface, outside the
/// SDK's own wiring (<c>VersanaBuilder.UseBackend</c>), a guard decorator or a guarded action.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RawBackendAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> s_featureInterfaces = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Versana.Sdk.IReplySuggestionClient",
        "Versana.Sdk.IConversationSummaryClient",
        "Versana.Sdk.IAutomatedResponseClient",
        "Versana.Sdk.IClassificationClient");

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.RawBackendOutsideSdkWiring);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // The SDK wires its own backends; nothing to check inside it.
            if (start.Compilation.AssemblyName == "Versana.Sdk")
            {
                return;
            }

            var symbols = KnownSymbols.Create(start.Compilation, start.Options.AdditionalFiles, start.CancellationToken);
            var builder = start.Compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.VersanaBuilder");
            if (symbols is null)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeCreation(c, symbols, builder), OperationKind.ObjectCreation);
            start.RegisterOperationAction(c => AnalyzeRegistration(c, symbols), OperationKind.Invocation);
        });
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, KnownSymbols symbols, INamedTypeSymbol? builder)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (!symbols.IsRawBackend(creation.Type) || symbols.IsGuardedPlace(context.ContainingSymbol) || InsideAllowedLambda(creation, symbols, builder))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.RawBackendOutsideSdkWiring,
            creation.Syntax.GetLocation(),
            $"'{creation.Type!.Name}' is a raw AI backend created with new"));
    }

    private static void AnalyzeRegistration(OperationAnalysisContext context, KnownSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;

        // Cheapest tests first: almost every invocation in a project fails the arity or name test.
        if (method.TypeArguments.Length != 2
            || !(method.Name.StartsWith("Add", StringComparison.Ordinal) || method.Name.StartsWith("TryAdd", StringComparison.Ordinal)))
        {
            return;
        }

        var ns = method.ContainingNamespace?.ToDisplayString();
        if (ns is not ("Microsoft.Extensions.DependencyInjection.Extensions" or "Microsoft.Extensions.DependencyInjection")
            || !s_featureInterfaces.Contains(method.TypeArguments[0].OriginalDefinition.ToDisplayString())
            || !symbols.IsRawBackend(method.TypeArguments[1])
            || symbols.IsGuardedPlace(context.ContainingSymbol))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.RawBackendOutsideSdkWiring,
            invocation.Syntax.GetLocation(),
            $"'{method.TypeArguments[1].Name}' is registered as {method.TypeArguments[0].Name} without the credit guard"));
    }

    private static bool InsideAllowedLambda(IOperation operation, KnownSymbols symbols, INamedTypeSymbol? builder)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is not IAnonymousFunctionOperation lambda)
            {
                continue;
            }

            var owner = lambda.Parent;
            while (owner is IDelegateCreationOperation or IConversionOperation)
            {
                owner = owner.Parent;
            }

            if (owner is IArgumentOperation { Parent: IInvocationOperation invocation }
                && (symbols.IsGuardExecute(invocation.TargetMethod)
                    || (builder is not null && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, builder) && invocation.TargetMethod.Name == "UseBackend")))
            {
                return true;
            }
        }

        return false;
    }
}
