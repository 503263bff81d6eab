namespace Versana.Sdk.Sqlite;

/// <content>A queued decision and its caller's completion.</content>
internal sealed partial class SqliteCreditStore
{
    private abstract class WorkItem(string workspaceId)
    {
        public string WorkspaceId { get; } = workspaceId;

        /// <summary>Runs the decision; its result (or refusal) is kept until the batch commits.</summary>
        public abstract void Run(Versana.Sdk.Ledger.Storage.ILedgerSession session);

        /// <summary>Answers the caller after the batch committed.</summary>
        public abstract void Publish();

        /// <summary>Answers the caller when the batch could not be written.</summary>
        public abstract void Fail(Exception exception);
    }

    private sealed class WorkItem<TState, TResult>(
        string workspaceId,
        TState state,
        Func<Versana.Sdk.Ledger.Storage.ILedgerSession, TState, TResult> operation,
        CancellationToken cancellationToken) : WorkItem(workspaceId)
    {
        private TResult? _result;
        private Exception? _error;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(Versana.Sdk.Ledger.Storage.ILedgerSession session)
        {
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
            catch (Exception ex)
            {
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
}
