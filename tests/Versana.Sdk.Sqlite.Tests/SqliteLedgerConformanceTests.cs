using Versana.Sdk.Testing;

namespace Versana.Sdk.Sqlite.Tests;

public sealed class SqliteLedgerConformanceTests : CreditLedgerConformanceTests
{
    private readonly TempDatabase _database = new();
    private int _ledgers;

    protected override ValueTask<ICreditLedger> CreateLedgerAsync(CreditLedgerOptions options, TimeProvider timeProvider)
        => ValueTask.FromResult<ICreditLedger>(SqliteCreditLedger.Open(new SqliteLedgerOptions { Path = _database.Path + (_ledgers++) }, options, timeProvider));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}
