namespace Versana.Sdk.Helpdesk.Tests;

internal static class Repository
{
    /// <summary>Gets the repository root, found above the test binaries (CI maps source paths, so not from [CallerFilePath]).</summary>
    public static string Root { get; } = Find();

    private static string Find()
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
}

internal static class Chromium
{
    /// <summary>Gets Debian's Chromium (or VERSANA_CHROMIUM); a missing browser fails the test, never skips it.</summary>
    public static string Path
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("VERSANA_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"Chromium is not at '{path}': run tests/run.sh (it installs Debian's chromium) or set VERSANA_CHROMIUM.");
        }
    }
}
