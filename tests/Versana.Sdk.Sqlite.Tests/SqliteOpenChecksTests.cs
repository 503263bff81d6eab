using Microsoft.Data.Sqlite;

namespace Versana.Sdk.Sqlite.Tests;

/// <summary>Only an absent file starts a new ledger; an empty, foreign or damaged file is refused at open with what to do.</summary>
public sealed class SqliteOpenChecksTests
{
    [Fact]
    public async Task AnAbsentFile_StartsANewLedger_AndReopensWithItsWorkspaces()
    {
        using var db = new TempDatabase();
        await using (var ledger = SqliteCreditLedger.Open(db.Path))
        {
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));
        }

        await using var reopened = SqliteCreditLedger.Open(db.Path);
        Assert.Equal(3_000, (await reopened.GetBalanceAsync("acme")).Available);
    }

    [Fact]
    public void AnEmptyFile_IsRefused_AndLeftAsItIs()
    {
        using var db = new TempDatabase();
        File.WriteAllBytes(db.Path, []);

        var ex = Assert.Throws<InvalidOperationException>(() => SqliteCreditLedger.Open(db.Path));

        Assert.Contains("empty file, not a Versana ledger", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(db.Path).Length);
    }

    [Fact]
    public void AFileThatIsNotSqlite_IsRefused()
    {
        using var db = new TempDatabase();
        File.WriteAllText(db.Path, "workspace,plan\nacme,Starter\n" + new string('x', 4096));

        var ex = Assert.Throws<InvalidOperationException>(() => SqliteCreditLedger.Open(db.Path));

        Assert.Contains("not a readable SQLite database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherApplicationsDatabase_IsRefused_AndKeepsItsTables()
    {
        using var db = new TempDatabase();
        using (var connection = new SqliteConnection($"Data Source={db.Path};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (1);";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<InvalidOperationException>(() => SqliteCreditLedger.Open(db.Path));

        Assert.Contains("another application, not a Versana ledger", ex.Message, StringComparison.Ordinal);
        using var check = new SqliteConnection($"Data Source={db.Path};Pooling=false;Mode=ReadOnly");
        check.Open();
        using var tables = check.CreateCommand();
        tables.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table';";
        Assert.Equal("invoices", tables.ExecuteScalar());
    }

    [Fact]
    public async Task AFileWithOnlyVersanasOwnTables_StartsTheLedger()
    {
        // The credits service keeps its API keys in the ledger's file, and may create them first.
        using var db = new TempDatabase();
        using (var connection = new SqliteConnection($"Data Source={db.Path};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE versana_api_keys (hash TEXT PRIMARY KEY);";
            command.ExecuteNonQuery();
        }

        await using var ledger = SqliteCreditLedger.Open(db.Path);
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));
        Assert.Equal(3_000, (await ledger.GetBalanceAsync("acme")).Available);
    }

    [Fact]
    public async Task ADamagedLedger_IsRefused_NamingTheDamage()
    {
        using var db = new TempDatabase();
        await using (var ledger = SqliteCreditLedger.Open(db.Path))
        {
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));
            for (var i = 0; i < 300; i++)
            {
                var hold = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, $"k{i}"));
                await ledger.CommitAsync("acme", hold.Reservation!.Id);
            }
        }

        // Overwrite a page in the middle of the file (past the header and the schema page) with garbage.
        SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(db.Path);
        Assert.True(bytes.Length >= 8 * 4096, $"The ledger is {bytes.Length} bytes; the test damages its fifth page.");
        Array.Fill(bytes, (byte)0x5A, 4 * 4096, 4096);
        await File.WriteAllBytesAsync(db.Path, bytes);

        var ex = Assert.Throws<InvalidOperationException>(() => SqliteCreditLedger.Open(db.Path));

        Assert.Contains("is damaged", ex.Message, StringComparison.Ordinal);
    }
}
