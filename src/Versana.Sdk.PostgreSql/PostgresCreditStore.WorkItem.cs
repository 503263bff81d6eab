using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.PostgreSql;

/// <content>A queued decision and its caller's completion.</content>
internal sealed partial class PostgresCreditStore
{
    private abstract class WorkItem(string workspaceId)
    {
        public string WorkspaceId { get; } = workspaceId;

        /// <summary>Runs the decision; its result is kept until the batch commits. A retried batch runs it again.</summary>
        public abstract void Run(ILedgerSession session);

        public abstract void Publish();

        public abstract void Fail(Exception exception);
    }

    private sealed class WorkItem<TState, TResult>(
        string workspaceId,
        TState state,
        Func<ILedgerSession, TState, TResult> operation,
        CancellationToken cancellationToken) : WorkItem(workspaceId)
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
            catch (Npgsql.NpgsqlException)
            {
                throw; // the batch is broken: the writer rolls it back
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
