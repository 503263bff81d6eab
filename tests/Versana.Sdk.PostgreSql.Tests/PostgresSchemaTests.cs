using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Versana.Sdk.PostgreSql.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PostgresServer server)
{
    private static readonly string[] s_keyColumns =
    [
        "workspaces.id", "entries.workspace_id", "reservations.workspace_id", "reservations.id",
        "leases.id", "leases.workspace_id", "lease_charges.lease_id", "lease_charges.reservation_id",
    ];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AVersion2Database_IsMigrated_ItsKeysCompareAsBytes_AndItsLedgerIsUnchanged()
    {
        var schema = PostgresServer.NewSchema();
        var options = new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = schema };
        CreditBalance before;
        string held;
        await using (var ledger = PostgresCreditLedger.Open(options, timeProvider: _time))
        {
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));
            var committed = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "k1") { Credits = 5 });
            await ledger.CommitAsync("acme", committed.Reservation!.Id);
            held = (await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, "k2"))).Reservation!.Id;
            before = await ledger.GetBalanceAsync("acme");
        }

        // Put the tables back as version 2 left them: key columns in the database's default collation.
        foreach (var column in s_keyColumns)
        {
            var (table, name) = (column.Split('.')[0], column.Split('.')[1]);
            await ExecuteAsync($"ALTER TABLE {schema}.{table} ALTER COLUMN {name} TYPE text COLLATE \"default\";");
        }

        await ExecuteAsync($"ALTER TABLE {schema}.reservations DROP COLUMN lease_id;");
        await ExecuteAsync($"UPDATE {schema}.schema_version SET version = 2;");
        Assert.Equal(0, await CountByteCollatedAsync(schema));

        await using (var ledger = PostgresCreditLedger.Open(options, timeProvider: _time))
        {
            Assert.Equal(s_keyColumns.Length, await CountByteCollatedAsync(schema));
            Assert.Equal(1, await server.ScalarAsync(
                $"SELECT count(*) FROM information_schema.columns WHERE table_schema = '{schema}' AND table_name = 'reservations' AND column_name = 'lease_id' AND collation_name = 'C'"));
            Assert.Equal(PostgresSchema.CurrentVersion, await server.ScalarAsync($"SELECT max(version) FROM {schema}.schema_version"));
            var after = await ledger.GetBalanceAsync("acme");
            Assert.Equal(before.Used, after.Used);
            Assert.Equal(before.Held, after.Held);

            // Retries find what version 2 wrote, through the rebuilt indexes.
            var retried = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "k1") { Credits = 5 });
            Assert.Equal(ReservationStatus.Committed, retried.Reservation!.Status);
            Assert.Equal(1, (await ledger.CommitAsync("acme", held)).Charged);
            Assert.True((await ledger.VerifyAsync("acme")).IsConsistent);
        }
    }

    [Theory]
    [InlineData("Host=db;Username=app", true)]
    [InlineData("Host=db;Username=app;Max Auto Prepare=0", false)]
    [InlineData("Host=db;Username=app;MaxAutoPrepare=5", false)]
    public void AutoPrepare_IsOnUnlessTheConnectionStringSetsIt(string given, bool turnedOn)
    {
        var result = new NpgsqlConnectionStringBuilder(PostgresCreditStore.WithAutoPrepare(given));
        Assert.Equal("db", result.Host);
        if (turnedOn)
        {
            Assert.Equal(32, result.MaxAutoPrepare);
        }
        else
        {
            Assert.Equal(new NpgsqlConnectionStringBuilder(given).MaxAutoPrepare, result.MaxAutoPrepare);
        }
    }

    private Task<long> CountByteCollatedAsync(string schema)
        => server.ScalarAsync($"""
            SELECT count(*) FROM information_schema.columns
            WHERE table_schema = '{schema}' AND collation_name = 'C'
              AND table_name || '.' || column_name IN ({string.Join(", ", s_keyColumns.Select(c => $"'{c}'"))})
            """);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
