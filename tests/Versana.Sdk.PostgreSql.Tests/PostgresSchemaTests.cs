using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Versana.Sdk.PostgreSql.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PostgresServer server)
{
    private static readonly string[] s_keyColumns =
    [
        "workspaces.id", "entries.workspace_id", "reservations.workspace_id", "reservations.id",
    ];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ANewSchema_KeysCompareAsBytes_AndHeldReservationsAreIndexedByExpiry()
    {
        var schema = PostgresServer.NewSchema();
        await using var ledger = PostgresCreditLedger.Open(new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = schema }, timeProvider: _time);
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));
        Assert.Equal(s_keyColumns.Length, await CountByteCollatedAsync(schema));
        Assert.Equal(PostgresSchema.CurrentVersion, await server.ScalarAsync($"SELECT max(version) FROM {schema}.schema_version"));
        Assert.Equal(1, await server.ScalarAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'reservations_held'"));
    }

    [Fact]
    public async Task ASchemaNewerThanTheLibrary_IsRefusedAtOpen_AndLeftAsItWas()
    {
        var schema = PostgresServer.NewSchema();
        var options = new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = schema };
        await PostgresCreditLedger.Open(options, timeProvider: _time).DisposeAsync();
        await ExecuteAsync($"UPDATE {schema}.schema_version SET version = {PostgresSchema.CurrentVersion + 1};");

        var refused = Assert.Throws<InvalidOperationException>(() => PostgresCreditLedger.Open(options, timeProvider: _time));
        Assert.Contains("newer than this library", refused.Message, StringComparison.Ordinal);
        Assert.Equal(PostgresSchema.CurrentVersion + 1, await server.ScalarAsync($"SELECT max(version) FROM {schema}.schema_version"));
    }

    [Fact]
    public async Task ASchemaOfVersion1_GetsItsUsageRollupFilledFromTheTrail()
    {
        var schema = PostgresServer.NewSchema();
        var options = new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = schema };
        await using (var ledger = PostgresCreditLedger.Open(options, timeProvider: _time))
        {
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter") { TimeZoneId = "America/New_York" });
            for (var i = 0; i < 3; i++)
            {
                var hold = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, $"k{i}"));
                await ledger.CommitAsync("acme", hold.Reservation!.Id, tokens: 10);
            }
        }

        // What a version 1 schema looks like: the same trail, no rollup.
        await ExecuteAsync($"DROP TABLE {schema}.usage_daily; UPDATE {schema}.schema_version SET version = 1;");

        await using var migrated = PostgresCreditLedger.Open(options, timeProvider: _time);
        var usage = await migrated.GetUsageAsync("acme", new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 10));
        Assert.Equal(new FeatureUsage(AiFeature.ConversationSummary, 3, 3, 30), Assert.Single(usage.ByFeature));
        Assert.Equal(new DailyUsage(new DateOnly(2026, 3, 10), AiFeature.ConversationSummary, 3, 3), Assert.Single(usage.ByDay));
        Assert.Equal(PostgresSchema.CurrentVersion, await server.ScalarAsync($"SELECT max(version) FROM {schema}.schema_version"));
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
