namespace Versana.Sdk.Sqlite.Tests;

/// <summary>A database path in a folder of its own, deleted at the end.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("versana-sqlite-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "ledger.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown is left to the OS temp cleaner.
        }
    }
}
