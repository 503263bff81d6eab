using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Versana.Sdk.Analyzers;

namespace Versana.Sdk.Analyzers.Tests;

/// <summary>Runs the analyzer on test code, offline: reference assemblies come from this machine's .NET SDK.</summary>
internal static class Verifier
{
    private static readonly Lazy<MetadataReference[]> s_references = new(LoadReferences);

    public static Task AnalyzeAsync(string source, string? guardedApis = null) => AnalyzeAsync<UnguardedAiCallAnalyzer>(source, guardedApis);

    public static async Task AnalyzeAsync<TAnalyzer>(string source, string? guardedApis = null)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = Usings + source,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        test.TestState.AdditionalReferences.AddRange(s_references.Value);
        if (guardedApis is not null)
        {
            test.TestState.AdditionalFiles.Add((UnguardedAiCallAnalyzer.GuardedApisFileName, guardedApis));
        }

        await test.RunAsync();
    }

    public static Task FixAsync(string source, string fixedSource)
        => FixAsync<UnguardedAiCallAnalyzer, Versana.Sdk.CodeFixes.WrapInCreditGuardCodeFix>(source, fixedSource);

    public static async Task FixAsync<TAnalyzer, TCodeFix>(string source, string fixedSource)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
        where TCodeFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        test.TestState.AdditionalReferences.AddRange(s_references.Value);
        await test.RunAsync();
    }

    private const string Usings = "using System; using System.Linq; using System.Threading; using System.Threading.Tasks; using Microsoft.Extensions.AI; using Microsoft.Extensions.DependencyInjection; using Microsoft.Extensions.DependencyInjection.Extensions; using Versana.Sdk;\n";

    private static MetadataReference[] LoadReferences()
    {
        // The SDK root is three levels above the running shared framework: <root>/shared/Microsoft.NETCore.App/<version>.
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        var version = Directory.GetDirectories(packs).OrderBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version()).Last();
        var refs = Directory.GetFiles(Path.Combine(version, "ref", "net10.0"), "*.dll");
        Assert.NotEmpty(refs);
        Type[] sdk =
        [
            typeof(AiFeature),
            typeof(Microsoft.Extensions.AI.ChatClientBuilder),
            typeof(Microsoft.Extensions.AI.IChatClient),
            typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection),
            typeof(Microsoft.Extensions.DependencyInjection.ServiceCollection),
            typeof(Microsoft.Extensions.Logging.ILoggerFactory),
        ];
        return [.. refs.Select(r => MetadataReference.CreateFromFile(r)), .. sdk.Select(t => t.Assembly.Location).Distinct().Select(l => MetadataReference.CreateFromFile(l))];
    }
}
