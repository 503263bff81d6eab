using System.Diagnostics;

namespace Versana.Sdk.Packaging.Tests;

/// <summary>
/// The packed Versana.Sdk, added to a fresh project from a local folder feed as a new user would:
/// bypassing the guard fails a -warnaserror build with VCX0001, guarded code builds clean. Offline: the
/// fresh project restores into its own folder from the feed and this machine's global package cache only.
/// </summary>
public sealed class PackagedAnalyzerTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("versana-packaging-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task PackedSdk_FailsAWarnAsErrorBuildThatBypassesTheGuard_AndBuildsGuardedCode()
    {
        var repo = RepositoryRoot();
        var feed = Path.Combine(_work.FullName, "feed");
        var version = $"0.1.0-test.{Guid.NewGuid():N}";
        foreach (var project in new[] { "Versana.Sdk", "Versana.Sdk.Sqlite" })
        {
            var pack = await RunAsync(repo, "dotnet", "pack", Path.Combine(repo, "src", project, project + ".csproj"),
                "-c", "Release", "-o", feed, $"-p:Version={version}", $"-p:ArtifactsPath={Path.Combine(_work.FullName, "artifacts")}");
            Assert.True(pack.ExitCode == 0, pack.Output);
        }

        var app = Path.Combine(_work.FullName, "app");
        Directory.CreateDirectory(app);
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(_work.FullName, "packages")}" /></config>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="machine-cache" value="{globalPackages}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Versana.Sdk" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Build.props"), "<Project />");

        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using Versana.Sdk;
            var thread = new Conversation("c", [new ConversationMessage("Ana", "Export fails.", true)]);
            var summary = await new OfflineAiBackend().SummarizeAsync(thread);
            Console.WriteLine(summary.Text);
            """);
        var bypass = await RunAsync(app, "dotnet", "build", "-warnaserror", "-nologo");
        Assert.NotEqual(0, bypass.ExitCode);
        Assert.Contains("error VCX0001", bypass.Output, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using Versana.Sdk;
            static ValueTask<ConversationSummary> Summarize(ICreditGuard guard, Conversation thread)
                => guard.ExecuteAsync(AiFeature.ConversationSummary, (credits, ct) => new ValueTask<ConversationSummary>(new OfflineAiBackend().SummarizeAsync(thread, ct)));
            Console.WriteLine(nameof(Summarize));
            """);
        var guarded = await RunAsync(app, "dotnet", "build", "-warnaserror", "-nologo");
        Assert.True(guarded.ExitCode == 0, guarded.Output);
        Assert.DoesNotContain("VCX0001", guarded.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("CS8032", guarded.Output, StringComparison.Ordinal);

        // A project that references only the SQLite package gets the analyzer through it (and the exact
        // Versana.Sdk version the SQLite package was built against).
        await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), File.ReadAllText(Path.Combine(app, "App.csproj"))
            .Replace("Include=\"Versana.Sdk\"", "Include=\"Versana.Sdk.Sqlite\"", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using Versana.Sdk;
            var thread = new Conversation("c", [new ConversationMessage("Ana", "Export fails.", true)]);
            Console.WriteLine((await new OfflineAiBackend().SummarizeAsync(thread)).Text);
            """);
        var transitive = await RunAsync(app, "dotnet", "build", "-warnaserror", "-nologo");
        Assert.NotEqual(0, transitive.ExitCode);
        Assert.Contains("error VCX0001", transitive.Output, StringComparison.Ordinal);
    }

    // CI builds map source paths to "/_/" (ContinuousIntegrationBuild), so [CallerFilePath] cannot
    // locate the repository; the test binaries always live under it, so walk up from them instead.
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VersanaSdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No VersanaSdk.sln above '{AppContext.BaseDirectory}'.");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string directory, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A nested build must not inherit the test run's MSBuild node or CI settings.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
