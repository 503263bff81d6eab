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
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the batch the writer is working on.</summary>
    public IReadOnlyList<StoreWorkItem> Batch => _batch;

    /// <summary>Starts the loop; <paramref name="writeBatch"/> writes <see cref="Batch"/> and answers its callers.</summary>
    /// <remarks>
    /// The writer blocks on the database (a lock wait on a hot row can take a while), so it gets a thread of its
    /// own: on the thread pool it would starve the callers it is answering, worst on a machine with few cores.
    /// </remarks>
    public void Start(Action writeBatch)
    {
        var thread = new Thread(() => Loop(writeBatch)) { IsBackground = true, Name = "Versana ledger writer" };
        thread.Start();
    }

    public ValueTask<TResult> EnqueueAsync<TState, TResult>(
        object store,
        string workspaceId,
        string? reservationId,
        TState state,
        Func<ILedgerSession, TState, TResult> operation,
        Func<Exception, bool> isStorageFailure,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new StoreWorkItem<TState, TResult>(workspaceId, reservationId, state, operation, isStorageFailure, cancellationToken);
        ObjectDisposedException.ThrowIf(!_channel.Writer.TryWrite(item), store);
        return new ValueTask<TResult>(item.Completion.Task);
    }

    /// <summary>Stops taking decisions and waits until the ones queued are written.</summary>
    public Task CompleteAsync()
    {
        _channel.Writer.TryComplete();
        return _stopped.Task;
    }

    private void Loop(Action writeBatch)
    {
        try
        {
            var reader = _channel.Reader;
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                // Callers answered by the last batch are still queuing their next decisions: giving up the
                // rest of the time slice lets them in, so this transaction carries more than the first to arrive.
                Thread.Yield();
                _batch.Clear();
                while (_batch.Count < maxBatchSize && reader.TryRead(out var item))
                {
                    _batch.Add(item);
                }

                writeBatch();
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }
}
