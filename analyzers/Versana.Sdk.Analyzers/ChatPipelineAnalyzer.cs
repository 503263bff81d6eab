using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Versana.Sdk.Analyzers;

/// <summary>
/// VCX0003: an <c>IChatClient</c> pipeline built with <c>ChatClientBuilder</c> (or <c>AddChatClient</c>) without
/// a <c>UseCreditGuard</c> stage. Only fluent chains are judged: a builder kept in a variable may get its
/// guard later, so it is not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ChatPipelineAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ChatPipelineWithoutGuard);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var builder = start.Compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatClientBuilder");
            var guardExtensions = start.Compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.VersanaChatClientBuilderExtensions");
            if (builder is null || guardExtensions is null || start.Compilation.AssemblyName == "Versana.Sdk")
            {
                return;
            }

            start.RegisterOperationAction(c => Analyze(c, builder, guardExtensions), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol builder, INamedTypeSymbol guardExtensions)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;

        if (method.Name == "Build" && SymbolEqualityComparer.Default.Equals(method.ContainingType, builder))
        {
            if (ChainStartsWithoutGuard(Receiver(invocation), builder, guardExtensions))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ChatPipelineWithoutGuard, invocation.Syntax.GetLocation()));
            }

            return;
        }

        if (method.Name is "AddChatClient" or "AddKeyedChatClient" && SymbolEqualityComparer.Default.Equals(method.ReturnType, builder))
        {
            // Follow the fluent chain outwards; a chain whose result is discarded is the whole pipeline.
            IOperation current = invocation;
            var guarded = false;
            while (NextInChain(current) is { } next)
            {
                guarded |= IsGuard(next.TargetMethod, guardExtensions);
                current = next;
            }

            if (!guarded && current.Parent is IExpressionStatementOperation)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ChatPipelineWithoutGuard, invocation.Syntax.GetLocation()));
            }
        }
    }

    private static bool ChainStartsWithoutGuard(IOperation? receiver, INamedTypeSymbol builder, INamedTypeSymbol guardExtensions)
    {
        for (var current = Unwrap(receiver); current is not null; current = Unwrap(Receiver(current)))
        {
            switch (current)
            {
                case IInvocationOperation call when IsGuard(call.TargetMethod, guardExtensions):
                    return false;
                case IInvocationOperation call when call.TargetMethod.Name is "AsBuilder" or "AddChatClient" or "AddKeyedChatClient":
                    return true;
                case IInvocationOperation:
                    continue;
                case IObjectCreationOperation creation:
                    return SymbolEqualityComparer.Default.Equals(creation.Type, builder);
                default:
                    // A local, field or parameter: the guard may have been added elsewhere.
                    return false;
            }
        }

        return false;
    }

    private static IInvocationOperation? NextInChain(IOperation operation)
    {
        var parent = operation.Parent;
        if (parent is IArgumentOperation { Parent: IInvocationOperation extension } argument
            && extension.TargetMethod.IsExtensionMethod
            && extension.Arguments.Length > 0
            && extension.Arguments[0] == argument)
        {
            return extension;
        }

        return parent is IInvocationOperation instanceCall && instanceCall.Instance == operation ? instanceCall : null;
    }

    private static IOperation? Receiver(IOperation operation)
        => operation is IInvocationOperation invocation
            ? invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null)
            : null;

    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static bool IsGuard(IMethodSymbol method, INamedTypeSymbol guardExtensions)
        => method.Name == "UseCreditGuard" && SymbolEqualityComparer.Default.Equals(method.ContainingType, guardExtensions);
}
