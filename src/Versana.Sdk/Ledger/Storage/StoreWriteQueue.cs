using System.Threading.Channels;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// The queue in front of a durable store's single writer: callers enqueue decisions, the loop hands the writer
/// batches of up to <c>maxBatchSize</c> of them (group commit), one batch at a time.
/// </summary>
internal sealed class StoreWriteQueue(int maxBatchSize)
{
    private readonly Channel<StoreWorkItem> _channel = Channel.CreateUnbounded<StoreWorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<StoreWorkItem> _batch = [];
    private Task _loop = Task.CompletedTask;

    /// <summary>Gets the batch the writer is working on.</summary>
    public IReadOnlyList<StoreWorkItem> Batch => _batch;

    /// <summary>Starts the loop; <paramref name="writeBatch"/> writes <see cref="Batch"/> and answers its callers.</summary>
    public void Start(Action writeBatch) => _loop = Task.Run(() => LoopAsync(writeBatch));

    public ValueTask<TResult> EnqueueAsync<TState, TResult>(
        object store,
        string workspaceId,
        TState state,
        Func<ILedgerSession, TState, TResult> operation,
        Func<Exception, bool> isStorageFailure,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new StoreWorkItem<TState, TResult>(workspaceId, state, operation, isStorageFailure, cancellationToken);
        ObjectDisposedException.ThrowIf(!_channel.Writer.TryWrite(item), store);
        return new ValueTask<TResult>(item.Completion.Task);
    }

    /// <summary>Stops taking decisions and waits until the ones queued are written.</summary>
    public Task CompleteAsync()
    {
        _channel.Writer.TryComplete();
        return _loop;
    }

    private async Task LoopAsync(Action writeBatch)
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Callers answered by the last batch are still queuing their next decisions: one yield
            // lets them in, so this transaction carries more than the first to arrive.
            await Task.Yield();
            _batch.Clear();
            while (_batch.Count < maxBatchSize && reader.TryRead(out var item))
            {
                _batch.Add(item);
            }

            writeBatch();
        }
    }
}
