using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Versana.Sdk.Analyzers;

namespace Versana.Sdk.Analyzers.Tests;

/// <summary>Runs the analyzer on test code, offline: reference assemblies come from this machine's .NET SDK.</summary>
internal static class Verifier
{
    private static readonly Lazy<MetadataReference[]> s_references = new(LoadReferences);

    public static async Task AnalyzeAsync(string source, string? guardedApis = null)
    {
        var test = new CSharpAnalyzerTest<UnguardedAiCallAnalyzer, DefaultVerifier>
        {
            TestCode = Usings + source,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(s_references.Value);
        if (guardedApis is not null)
        {
            test.TestState.AdditionalFiles.Add((UnguardedAiCallAnalyzer.GuardedApisFileName, guardedApis));
        }

        await test.RunAsync();
    }

    private const string Usings = "using System; using System.Linq; using System.Threading; using System.Threading.Tasks; using Versana.Sdk;\n";

    private static MetadataReference[] LoadReferences()
    {
        // The SDK root is three levels above the running shared framework: <root>/shared/Microsoft.NETCore.App/<version>.
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        var version = Directory.GetDirectories(packs).OrderBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version()).Last();
        var refs = Directory.GetFiles(Path.Combine(version, "ref", "net10.0"), "*.dll");
        Assert.NotEmpty(refs);
        return [.. refs.Select(r => MetadataReference.CreateFromFile(r)), MetadataReference.CreateFromFile(typeof(AiFeature).Assembly.Location)];
    }
}
