using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// What the analyzers add to a real <c>dotnet build</c>: a generated project of N files that use the SDK is
/// rebuilt with <c>-p:ReportAnalyzer=true</c>, and the Versana analyzers' reported time is set against the
/// compiler task's time.
/// </summary>
internal static partial class AnalyzerBuildHarness
{
    public static async Task RunAsync(int files, int rounds)
    {
        var repository = FindRepository();
        var folder = Directory.CreateTempSubdirectory("versana-analyzer-build-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "Generated.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>disable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{repository}/src/Versana.Sdk/Versana.Sdk.csproj" />
                    <ProjectReference Include="{repository}/analyzers/Versana.Sdk.Analyzers/Versana.Sdk.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                  </ItemGroup>
                </Project>
                """);
            for (var i = 0; i < files; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, $"File{i}.cs"), AnalyzerCostHarness.Source(i));
            }

            await RunAsync(folder.FullName, "build", "-c", "Release"); // restore, build the SDK, warm up
            var compile = new List<double>();
            var versana = new List<double>();
            var all = new List<double>();
            var warnings = 0;
            for (var round = 0; round < rounds; round++)
            {
                var output = await RunAsync(folder.FullName, "build", "-c", "Release", "--no-restore", "--no-incremental", "--no-dependencies",
                    "-p:ReportAnalyzer=true", "-v:d", "-clp:PerformanceSummary");
                compile.Add(Milliseconds(CscTask().Match(output)));
                all.Add(double.Parse(TotalAnalyzers().Match(output).Groups[1].Value, CultureInfo.InvariantCulture) * 1000);
                versana.Add(VersanaAnalyzers().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1000).DefaultIfEmpty().Max());
                warnings = Regex.Count(output, "warning VCX0001");
            }

            double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
            Console.WriteLine($"dotnet build -p:ReportAnalyzer=true of a generated project: {files} files, {rounds} rebuilds (median), VCX0001 warnings in the log: {warnings}");
            Console.WriteLine(FormattableString.Invariant($"  Csc task:                      {Median(compile),8:0} ms"));
            Console.WriteLine(FormattableString.Invariant($"  all analyzers (SDK + Versana): {Median(all),8:0} ms"));
            Console.WriteLine(FormattableString.Invariant($"  Versana.Sdk.Analyzers:         {Median(versana),8:0} ms  = {Median(versana) / Median(compile):P2} of the Csc task"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static double Milliseconds(Match match)
        => match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException("No Csc time in the build log.");

    private static async Task<string> RunAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed:\n{await output}\n{await error}");
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VersanaSdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run from the repository's build output.");
    }

    [GeneratedRegex(@"^\s*(\d+) ms\s+Csc\s+\d+ calls", RegexOptions.Multiline)]
    private static partial Regex CscTask();

    [GeneratedRegex(@"Total analyzer execution time:\s*([\d.]+) seconds")]
    private static partial Regex TotalAnalyzers();

    [GeneratedRegex(@"^\s*([\d.]+)\s+\d+\s+Versana\.Sdk\.Analyzers, Version", RegexOptions.Multiline)]
    private static partial Regex VersanaAnalyzers();
}
