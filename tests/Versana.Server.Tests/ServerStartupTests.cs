using Microsoft.Data.Sqlite;

namespace Versana.Server.Tests;

public sealed class ServerStartupTests
{
    [Fact]
    public async Task TheLedgerIsOpenedAndMigrated_BeforeTheServerListens_WithNoDemoWorkspace()
    {
        var folder = Directory.CreateTempSubdirectory("versana-server-");
        var path = Path.Combine(folder.FullName, "server.db");
        try
        {
            var app = await VersanaServer.CreateAsync(
                ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Versana:DatabasePath", path, "--Versana:DemoWorkspace", ""],
                TextWriter.Null);
            await using (app)
            {
                // Built, not started, no request made: the ledger's tables are already there.
                using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=false");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('versana_workspaces', 'versana_entries', 'versana_reservations', 'versana_usage_daily');";
                Assert.Equal(4L, command.ExecuteScalar());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
