
namespace Versana.Sdk.PostgreSql.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerConformanceTests(PostgresServer server) : CreditLedgerConformanceTests
{
    protected override CreditLedger CreateLedger(CreditLedgerOptions options, TimeProvider timeProvider)
        => PostgresCreditLedger.Open(new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = PostgresServer.NewSchema() }, options, timeProvider);
}
