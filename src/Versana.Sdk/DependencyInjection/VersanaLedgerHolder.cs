namespace Versana.Sdk;

/// <summary>Owns the configured ledger so the container disposes it (flushing a store's pending writes) at shutdown.</summary>
internal sealed class VersanaLedgerHolder(ICreditLedger ledger) : IAsyncDisposable
{
    public ICreditLedger Ledger { get; } = ledger;

    public ValueTask DisposeAsync() => Ledger is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
}
