using Microsoft.Data.Sqlite;

namespace Versana.Sdk.Sqlite.Tests;

/// <summary>Usage is read from the daily rollup, which each commit updates in its own transaction.</summary>
public sealed class SqliteUsageRollupTests
{
    private static async Task CommitAsync(CreditLedger ledger, AiFeature feature, string key, long? tokens = null)
    {
        var hold = await ledger.ReserveAsync("acme", new ReservationRequest(feature, key));
        await ledger.CommitAsync("acme", hold.Reservation!.Id, tokens: tokens);
    }

    private static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task ACommit_AddsToItsLocalDaysRow_AsOperatorsCanQuery()
    {
        using var db = new TempDatabase();
        await using (var ledger = SqliteCreditLedger.Open(db.Path))
        {
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter") { AutomationEnabled = true });
            await CommitAsync(ledger, AiFeature.ConversationSummary, "a", tokens: 40);
            await CommitAsync(ledger, AiFeature.ConversationSummary, "b", tokens: 2);
            await CommitAsync(ledger, AiFeature.AutomatedResponse, "c");
            var released = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, "d"));
            await ledger.ReleaseAsync("acme", released.Reservation!.Id);
        }

        Assert.Equal("2,2,42", Scalar(db.Path, "SELECT credits || ',' || calls || ',' || tokens FROM versana_usage_daily WHERE workspace_id = 'acme' AND feature = 'ConversationSummary';"));
        Assert.Equal(2L, Scalar(db.Path, "SELECT count(*) FROM versana_usage_daily;"));
    }

    [Fact]
    public async Task AFileOfSchemaVersion1_GetsItsRollupFilledFromTheTrail_Once()
    {
        using var db = new TempDatabase();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var ledger = SqliteCreditLedger.Open(db.Path))
        {
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter") { TimeZoneId = "Etc/UTC", AutomationEnabled = true });
            await CommitAsync(ledger, AiFeature.ConversationSummary, "a", tokens: 7);
            await CommitAsync(ledger, AiFeature.AutomatedResponse, "b");
        }

        // What a version 1 file looks like: the same trail, no rollup.
        Scalar(db.Path, "DROP TABLE versana_usage_daily; PRAGMA user_version = 1;");

        await using (var migrated = SqliteCreditLedger.Open(db.Path))
        {
            var usage = await migrated.GetUsageAsync("acme", today.AddDays(-1), today.AddDays(1));
            Assert.Equal(3, usage.TotalCredits);
            Assert.Equal(new FeatureUsage(AiFeature.ConversationSummary, 1, 1, 7), usage.ByFeature.Single(f => f.Feature == AiFeature.ConversationSummary));
        }

        await using var reopened = SqliteCreditLedger.Open(db.Path);
        Assert.Equal(3, (await reopened.GetUsageAsync("acme", today.AddDays(-1), today.AddDays(1))).TotalCredits);
    }
}
