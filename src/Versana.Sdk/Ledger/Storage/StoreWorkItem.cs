namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// A decision queued to a store's writer loop (SQLite, PostgreSQL) and its caller's completion: run inside the
/// writer's transaction, answered only after that transaction commits.
/// </summary>
internal abstract class StoreWorkItem(string workspaceId, string? reservationId)
{
    public string WorkspaceId { get; } = workspaceId;

    /// <summary>Gets the reservation the decision will look up, if it is about one.</summary>
    public string? ReservationId { get; } = reservationId;

    /// <summary>Runs the decision; its result (or refusal) is kept until the batch commits. A retried batch runs it again.</summary>
    public abstract void Run(ILedgerSession session);

    /// <summary>Answers the caller after the batch committed.</summary>
    public abstract void Publish();

    /// <summary>Answers the caller when the batch could not be written.</summary>
    public abstract void Fail(Exception exception);
}

/// <summary>A queued decision with its state and result types.</summary>
/// <typeparam name="TState">The decision's input.</typeparam>
/// <typeparam name="TResult">The decision's answer.</typeparam>
internal sealed class StoreWorkItem<TState, TResult>(
    string workspaceId,
    string? reservationId,
    TState state,
    Func<ILedgerSession, TState, TResult> operation,
    Func<Exception, bool> isStorageFailure,
    CancellationToken cancellationToken) : StoreWorkItem(workspaceId, reservationId)
{
    private TResult? _result;
    private Exception? _error;

    public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Run(ILedgerSession session)
    {
        _result = default;
        _error = null;

        // A caller that gave up while queued must not have its decision applied behind its back.
        if (cancellationToken.IsCancellationRequested)
        {
            _error = new OperationCanceledException(cancellationToken);
            return;
        }

        try
        {
            _result = operation(session, state);
        }
        catch (Exception ex) when (!isStorageFailure(ex))
        {
            // The decision's own answer (a refusal, bad input): the batch goes on. A storage failure breaks
            // the batch instead, and the writer rolls all of it back.
            _error = ex;
        }
    }

    public override void Publish()
    {
        if (_error is not null)
        {
            Completion.TrySetException(_error);
        }
        else
        {
            Completion.TrySetResult(_result!);
        }
    }

    public override void Fail(Exception exception) => Completion.TrySetException(exception);
}
