namespace Versana.Sdk;

/// <summary>
/// Runs AI actions on the workspace's credits: reserves the cost, runs the action, commits on success and
/// releases on failure or cancellation, so a failed AI call costs nothing.
/// </summary>
public interface ICreditGuard
{
    /// <summary>Runs <paramref name="action"/> paid for with credits, or throws <see cref="AiPausedException"/> when refused.</summary>
    /// <typeparam name="T">The action's value type.</typeparam>
    /// <param name="feature">The AI feature the action uses.</param>
    /// <param name="action">The AI work. It may report a lower actual cost through its context.</param>
    /// <param name="options">Per-call settings, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The action's value.</returns>
    /// <remarks>Inside an outer guarded action (or a guarded endpoint) for the same feature and workspace, the outer reservation is reused: one user action is charged once.</remarks>
    ValueTask<T> ExecuteAsync<T>(AiFeature feature, Func<CreditGuardContext, CancellationToken, ValueTask<T>> action, AiCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="action"/> paid for with credits, or returns the denial instead of throwing.</summary>
    /// <typeparam name="T">The action's value type.</typeparam>
    /// <param name="feature">The AI feature the action uses.</param>
    /// <param name="action">The AI work.</param>
    /// <param name="options">Per-call settings, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The value, or the denial for callers that fall back to manual work.</returns>
    ValueTask<CreditGuardResult<T>> TryExecuteAsync<T>(AiFeature feature, Func<CreditGuardContext, CancellationToken, ValueTask<T>> action, AiCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Holds the credits of one AI action for code that runs the action itself (a stream, a pipeline stage, middleware).</summary>
    /// <param name="feature">The AI feature the action uses.</param>
    /// <param name="options">Per-call settings, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>
    /// The hold: granted or refused (<see cref="CreditHold.IsGranted"/>). Commit it when the action delivered its result;
    /// dispose it in every case, which gives uncommitted credits back.
    /// </returns>
    /// <remarks><see cref="ExecuteAsync{T}"/> and <see cref="TryExecuteAsync{T}"/> are this with the action run inside <see cref="CreditHold.Enter"/>.</remarks>
    ValueTask<CreditHold> ReserveAsync(AiFeature feature, AiCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Gets the workspace's balance, from the cache when it is recent enough.</summary>
    /// <param name="workspaceId">The workspace, or <see langword="null"/> for the current one.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The balance; <see cref="CreditBalance.AsOf"/> says when it was read.</returns>
    ValueTask<CreditBalance> GetBalanceAsync(string? workspaceId = null, CancellationToken cancellationToken = default);
}
