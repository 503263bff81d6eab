using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Versana.Sdk.Analyzers;

/// <summary>The SDK's symbols, looked up once per compilation, and the rules that read them.</summary>
internal sealed class KnownSymbols
{
    private const string FeatureFromFile = "custom";

    private readonly INamedTypeSymbol? _requiresGuard;
    private readonly INamedTypeSymbol? _decorator;
    private readonly INamedTypeSymbol? _guard;
    private readonly INamedTypeSymbol? _endpointCredits;
    private readonly INamedTypeSymbol? _endpointConventions;
    private readonly INamedTypeSymbol? _guardContext;
    private readonly INamedTypeSymbol? _cancellationToken;
    private readonly INamedTypeSymbol? _valueTask;
    private readonly Dictionary<ISymbol, string> _listed;
    private readonly ConcurrentDictionary<IMethodSymbol, string?> _features = new(SymbolEqualityComparer.Default);

    // Every `new T(...)` in a project asks whether T is a raw backend; the answer walks T's members and base
    // types, so it is worked out once per type and compilation.
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _rawBackends = new(SymbolEqualityComparer.Default);

    private KnownSymbols(Compilation compilation, Dictionary<ISymbol, string> listed)
    {
        _requiresGuard = compilation.GetTypeByMetadataName("Versana.Sdk.RequiresCreditGuardAttribute");
        _decorator = compilation.GetTypeByMetadataName("Versana.Sdk.CreditGuardDecoratorAttribute");
        _guard = compilation.GetTypeByMetadataName("Versana.Sdk.ICreditGuard");
        _endpointCredits = compilation.GetTypeByMetadataName("Versana.Sdk.AspNetCore.RequiresAiCreditsAttribute");
        _endpointConventions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.CreditGuardEndpointConventionBuilderExtensions");
        _guardContext = compilation.GetTypeByMetadataName("Versana.Sdk.CreditGuardContext");
        _cancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        _valueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        _listed = listed;
    }

    public static KnownSymbols? Create(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles, CancellationToken cancellationToken)
    {
        var listed = ReadGuardedApis(compilation, additionalFiles, cancellationToken);
        var symbols = new KnownSymbols(compilation, listed);
        return symbols._requiresGuard is null && listed.Count == 0 ? null : symbols;
    }

    /// <summary>Gets whether <paramref name="method"/> is the SDK's endpoint convention <paramref name="name"/> (RequireAiCredits, DisableCreditGuard), not a method of the same name.</summary>
    public bool IsEndpointConvention(IMethodSymbol method, string name)
        => _endpointConventions is not null
            && string.Equals(method.Name, name, StringComparison.Ordinal)
            && SymbolEqualityComparer.Default.Equals((method.ReducedFrom ?? method).ContainingType?.OriginalDefinition, _endpointConventions);

    /// <summary>Gets whether <paramref name="method"/> is ICreditGuard.ExecuteAsync/TryExecuteAsync, through the interface or an implementation.</summary>
    public bool IsGuardExecute(IMethodSymbol method)
    {
        if (_guard is null || method.Name is not ("ExecuteAsync" or "TryExecuteAsync"))
        {
            return false;
        }

        var type = method.ContainingType;
        return SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, _guard)
            || type?.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, _guard)) == true;
    }

    /// <summary>Gets whether a method could be handed to the guard as a method group: (CreditGuardContext, CancellationToken) → ValueTask&lt;T&gt;.</summary>
    public bool IsGuardShaped(ISymbol? symbol)
        => symbol is IMethodSymbol { Parameters.Length: 2 } method
            && _guardContext is not null
            && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, _guardContext)
            && SymbolEqualityComparer.Default.Equals(method.Parameters[1].Type, _cancellationToken)
            && method.ReturnType is INamedTypeSymbol returned
            && SymbolEqualityComparer.Default.Equals(returned.OriginalDefinition, _valueTask);

    /// <summary>Gets whether code in <paramref name="symbol"/> may call raw AI APIs: a decorator type or a guarded endpoint.</summary>
    public bool IsGuardedPlace(ISymbol symbol)
    {
        for (var current = symbol; current is not null; current = current.ContainingSymbol)
        {
            if (current is INamespaceSymbol)
            {
                break;
            }

            foreach (var attribute in current.GetAttributes())
            {
                var type = attribute.AttributeClass?.OriginalDefinition;
                if (type is not null && (SymbolEqualityComparer.Default.Equals(type, _decorator) || SymbolEqualityComparer.Default.Equals(type, _endpointCredits)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Gets whether a type is a raw backend: it (or a base type or interface) has members that need the guard.</summary>
    public bool IsRawBackend(ITypeSymbol? type)
        => type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named
            && named.SpecialType == SpecialType.None
            && (_rawBackends.TryGetValue(named, out var known) ? known : _rawBackends.GetOrAdd(named, ComputeIsRawBackend(named)));

    private bool ComputeIsRawBackend(INamedTypeSymbol named)
    {
        if (FeatureOfType(named) is not null)
        {
            return true;
        }

        for (var current = named; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers().OfType<IMethodSymbol>())
            {
                if (GetRequiredFeature(member) is not null)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Gets the feature a call spends because of its receiver's static type (a raw backend or a marked interface).</summary>
    public string? GetReceiverFeature(ITypeSymbol? receiver, IMethodSymbol method)
    {
        if (receiver is not INamedTypeSymbol type)
        {
            return null;
        }

        if (type.TypeKind is TypeKind.Class or TypeKind.Struct)
        {
            return type.FindImplementationForInterfaceMember(method) is IMethodSymbol implementation ? GetRequiredFeature(implementation) : null;
        }

        foreach (var candidate in new[] { type }.Concat(type.AllInterfaces))
        {
            if (FeatureOf(candidate) is { } feature)
            {
                // "*": the member's declaring interface names the feature (IConversationSummaryClient -> ConversationSummary).
                var declaring = method.ContainingType?.Name ?? string.Empty;
                return feature != "*" ? feature
                    : declaring.StartsWith("I", StringComparison.Ordinal) && declaring.EndsWith("Client", StringComparison.Ordinal)
                        ? declaring.Substring(1, declaring.Length - "I".Length - "Client".Length)
                        : declaring;
            }
        }

        return null;
    }

    /// <summary>Gets the feature a method spends, or <see langword="null"/> when it needs no guard.</summary>
    public string? GetRequiredFeature(IMethodSymbol method) => _features.GetOrAdd(method.OriginalDefinition, FindFeature);

    private static Dictionary<ISymbol, string> ReadGuardedApis(Compilation compilation, ImmutableArray<AdditionalText> files, CancellationToken cancellationToken)
    {
        var listed = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        foreach (var file in files)
        {
            if (!string.Equals(Path.GetFileName(file.Path), UnguardedAiCallAnalyzer.GuardedApisFileName, StringComparison.OrdinalIgnoreCase)
                || file.GetText(cancellationToken) is not { } text)
            {
                continue;
            }

            foreach (var line in text.Lines)
            {
                // "M:Vendor.Ai.Client.Complete(System.String);Feature  // comment" — as the banned-API analyzer reads its file.
                var content = line.ToString();
                var comment = content.IndexOf("//", StringComparison.Ordinal);
                if (comment >= 0)
                {
                    content = content.Substring(0, comment);
                }

                var parts = content.Split(';');
                var id = parts[0].Trim();
                if (id.Length == 0)
                {
                    continue;
                }

                var feature = parts.Length > 1 && parts[1].Trim().Length > 0 ? parts[1].Trim() : FeatureFromFile;
                foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation))
                {
                    listed[symbol.OriginalDefinition] = feature;
                }
            }
        }

        return listed;
    }

    private string? FindFeature(IMethodSymbol method)
    {
        // The member, the members it overrides, and its containing types.
        for (var current = method; current is not null; current = current.OverriddenMethod)
        {
            if ((FeatureOf(current) ?? FeatureOfType(current.ContainingType)) is { } feature)
            {
                return feature;
            }
        }

        // Interface members it implements.
        var containing = method.ContainingType;
        if (containing is not null)
        {
            foreach (var @interface in containing.AllInterfaces)
            {
                foreach (var member in @interface.GetMembers().OfType<IMethodSymbol>())
                {
                    if (SymbolEqualityComparer.Default.Equals(containing.FindImplementationForInterfaceMember(member)?.OriginalDefinition, method.OriginalDefinition)
                        && (FeatureOf(member) ?? FeatureOfType(@interface)) is { } feature)
                    {
                        return feature;
                    }
                }
            }
        }

        return null;
    }

    private string? FeatureOfType(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (FeatureOf(current) is { } feature)
            {
                return feature;
            }
        }

        return null;
    }

    private string? FeatureOf(ISymbol symbol)
    {
        if (_listed.TryGetValue(symbol.OriginalDefinition, out var listed))
        {
            return listed;
        }

        if (_requiresGuard is null)
        {
            return null;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass?.OriginalDefinition, _requiresGuard))
            {
                return attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string feature ? feature : FeatureFromFile;
            }
        }

        return null;
    }
}
