using Microsoft.Data.Sqlite;

namespace Versana.Sdk.Sqlite.Tests;

/// <summary>The ledger's queries read what they report: the planner's own account of how it runs them.</summary>
public sealed class SqliteQueryPlanTests
{
    [Fact]
    public void TheCommitsQuery_NamesTheCommittedKind()
        => Assert.Contains($"kind = {(int)LedgerEntryKind.Committed} ", SqliteCreditStore.CommitsInRangeSql, StringComparison.Ordinal);

    [Fact]
    public async Task UsageReadsTheCommitsOfItsRange_ThroughTheCommitsIndex()
    {
        using var db = new TempDatabase();
        await using (var ledger = SqliteCreditLedger.Open(db.Path))
        {
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));
        }

        using var connection = new SqliteConnection($"Data Source={db.Path};Pooling=false;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteCreditStore.CommitsInRangeSql;
        command.Parameters.AddWithValue("$w", "acme");
        command.Parameters.AddWithValue("$from", 0L);
        command.Parameters.AddWithValue("$to", 1L);
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.Contains(plan, step => step.Contains("USING INDEX versana_entries_commits (workspace_id=? AND at_ticks>? AND at_ticks<?)", StringComparison.Ordinal));
    }
}
