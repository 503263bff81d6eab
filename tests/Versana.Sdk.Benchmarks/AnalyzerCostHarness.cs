using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Versana.Sdk.Analyzers;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// What the Versana analyzers add to compiling a generated project of N files that use the SDK: the
/// compilation's own time (binding and emit) next to the analyzers' execution time, and the slowest file.
/// </summary>
internal static class AnalyzerCostHarness
{
    public static async Task RunAsync(int files)
    {
        var trees = Enumerable.Range(0, files).Select(i => CSharpSyntaxTree.ParseText(Source(i), path: $"File{i}.cs")).ToArray();
        var compilation = CSharpCompilation.Create("Generated", trees, References(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        ImmutableArray<DiagnosticAnalyzer> analyzers = [new UnguardedAiCallAnalyzer(), new RawBackendAnalyzer(), new ChatPipelineAnalyzer()];
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The generated project does not compile: " + errors[0]);
        }

        // Warm up both paths, then measure several alternating rounds on fresh compilations.
        var compileTimes = new List<double>();
        var analyzerTimes = new List<double>();
        var reported = 0;
        for (var round = 0; round < 6; round++)
        {
            var fresh = compilation.Clone();
            var stopwatch = Stopwatch.StartNew();
            using (var stream = new MemoryStream())
            {
                fresh.Emit(stream);
            }

            var compile = stopwatch.Elapsed.TotalMilliseconds;
            var withAnalyzers = compilation.Clone().WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
                AnalyzerOptions(), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
            var result = await withAnalyzers.GetAnalysisResultAsync(CancellationToken.None);
            reported = result.GetAllDiagnostics().Length;
            var analyzerTime = result.AnalyzerTelemetryInfo.Values.Sum(t => t.ExecutionTime.TotalMilliseconds);
            if (round == 5)
            {
                foreach (var (analyzer, telemetry) in result.AnalyzerTelemetryInfo)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {analyzer.GetType().Name,-28} {telemetry.ExecutionTime.TotalMilliseconds,8:0.0} ms"));
                }
            }
            if (round >= 2)
            {
                compileTimes.Add(compile);
                analyzerTimes.Add(analyzerTime);
            }
        }

        // The slowest single file: the analyzers' own execution time on each file (telemetry deltas, so the
        // compiler's binding of the file is not counted against the analyzers), over several rounds on fresh
        // compilations. A file that is slow is slow in every round; a collection or a lost time slice on these
        // shared cores lands on a different file each round, so each file's median over the rounds is its figure.
        const int FileRounds = 5;
        var perFileRounds = trees.Select(_ => new List<double>()).ToArray();
        var rawMaxima = new List<double>();
        for (var round = 0; round < FileRounds; round++)
        {
            var fresh = compilation.Clone();
            var single = fresh.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(AnalyzerOptions(), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
            var before = 0.0;
            var roundMax = 0.0;
            for (var i = 0; i < trees.Length; i++)
            {
                var tree = fresh.SyntaxTrees.ElementAt(i);
                await single.GetAnalyzerSemanticDiagnosticsAsync(fresh.GetSemanticModel(tree), filterSpan: null, CancellationToken.None);
                var total = 0.0;
                foreach (var analyzer in analyzers)
                {
                    total += (await single.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None)).ExecutionTime.TotalMilliseconds;
                }

                perFileRounds[i].Add(total - before);
                roundMax = Math.Max(roundMax, total - before);
                before = total;
            }

            rawMaxima.Add(roundMax);
        }

        var perFile = perFileRounds.Select(Median).ToList();

        var compileMedian = Median(compileTimes);
        var analyzerMedian = Median(analyzerTimes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Generated project: {files} files, {reported} diagnostics reported by the Versana analyzers (expected {files / 10})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  compile (bind + emit), median of 4:  {compileMedian,8:0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Versana analyzers, median of 4:      {analyzerMedian,8:0.0} ms  ({100 * analyzerMedian / compileMedian:0.00}% of compile)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  per file (median of {FileRounds} rounds): median {Median(perFile):0.000} ms, max {perFile.Max():0.000} ms; slowest: {string.Join(", ", perFile.Select((t, i) => (t, i)).OrderByDescending(x => x.t).Take(3).Select(x => $"#{x.i} {x.t:0.0} ms"))} (the first file includes the per-compilation symbol lookup)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  slowest file of each round, noise included: {string.Join(", ", rawMaxima.Select(m => $"{m:0.0} ms"))}"));
    }

    private static AnalyzerOptions AnalyzerOptions() => new([]);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static string Source(int i) => i % 10 == 0
        // One file in ten bypasses the guard, so the analyzers have something to report.
        ? $$"""
            using System.Threading.Tasks;
            using Versana.Sdk;
            namespace Generated;
            public sealed class Bypass{{i}}(IAiFeatureBackend backend)
            {
                public Task<MessageClassification> Run(string message) => backend.ClassifyAsync(message);
            }
            """
        : $$"""
            using System;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using Versana.Sdk;
            namespace Generated;
            public sealed class Feature{{i}}(ICreditGuard guard, IAiFeatureBackend backend, IConversationSummaryClient summaries)
            {
                private static readonly Conversation Thread = new("c{{i}}", [new ConversationMessage("Ana", "Export fails {{i}}", true)]);
                public async Task<string> RunAsync(CancellationToken ct)
                {
                    var summary = await summaries.SummarizeAsync(Thread, ct);
                    var classes = await guard.ExecuteAsync(AiFeature.Classification, async (credits, token) =>
                        await Task.WhenAll(new[] { "a", "b" }.Select(m => backend.ClassifyAsync(m, token))), cancellationToken: ct);
                    var reply = await guard.ExecuteAsync(AiFeature.ReplySuggestion, DraftAsync, cancellationToken: ct);
                    return summary.Text + classes.Length + reply.Text + Helper(ct);
                }
                private async ValueTask<ReplySuggestion> DraftAsync(CreditGuardContext credits, CancellationToken ct) => await backend.SuggestReplyAsync(Thread, ct);
                private static int Helper(CancellationToken ct) => ct.IsCancellationRequested ? 0 : {{i}};
            }
            """;

    private static MetadataReference[] References()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var packs = Path.GetFullPath(Path.Combine(runtime, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref"));
        var version = Directory.GetDirectories(packs).OrderBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version()).Last();
        return
        [
            .. Directory.GetFiles(Path.Combine(version, "ref", "net10.0"), "*.dll").Select(f => MetadataReference.CreateFromFile(f)),
            MetadataReference.CreateFromFile(typeof(AiFeature).Assembly.Location),
        ];
    }
}
