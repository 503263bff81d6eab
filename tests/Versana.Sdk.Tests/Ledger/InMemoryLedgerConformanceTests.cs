using Versana.Sdk.Testing;

namespace Versana.Sdk.Tests.Ledger;

public sealed class InMemoryLedgerConformanceTests : CreditLedgerConformanceTests
{
    protected override CreditLedger CreateLedger(CreditLedgerOptions options, TimeProvider timeProvider)
        => CreditLedger.CreateInMemory(options, timeProvider);
}
