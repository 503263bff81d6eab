
namespace Versana.Sdk.PostgreSql.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerConformanceTests(PostgresServer server) : CreditLedgerConformanceTests
{
    protected override ValueTask<ICreditLedger> CreateLedgerAsync(CreditLedgerOptions options, TimeProvider timeProvider)
        => ValueTask.FromResult<ICreditLedger>(PostgresCreditLedger.Open(new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = PostgresServer.NewSchema() }, options, timeProvider));
}
