using Versana.Sdk.Testing;

namespace Versana.Sdk.Tests.Ledger;

public sealed class InMemoryLedgerConformanceTests : CreditLedgerConformanceTests
{
    protected override ValueTask<ICreditLedger> CreateLedgerAsync(CreditLedgerOptions options, TimeProvider timeProvider)
        => ValueTask.FromResult<ICreditLedger>(CreditLedger.CreateInMemory(options, timeProvider));
}
