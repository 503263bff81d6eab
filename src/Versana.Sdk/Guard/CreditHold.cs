using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Versana.Sdk;

/// <summary>
/// The credits held for one AI action, from <see cref="ICreditGuard.ReserveAsync"/>: commit them when the action
/// delivered its result; disposing the hold without a commit gives them back.
/// </summary>
/// <remarks>
/// <code>
/// await using var hold = await guard.ReserveAsync(AiFeature.ConversationSummary, cancellationToken: ct);
/// if (!hold.IsGranted) { return ManualSummary(hold.Denial); }
/// var summary = await CallTheModelAsync(ct);
/// await hold.CommitAsync(tokens: summary.Tokens);
/// </code>
/// A hold is used by one caller at a time. Inside an enclosing guarded action for the same feature and workspace the
/// hold reuses its reservation: committing or disposing it then leaves the charge to the enclosing action.
/// </remarks>
public sealed class CreditHold : IAsyncDisposable
{
    private readonly CreditGuard? _guard;
    private readonly Activity? _activity;
    private readonly long? _started;
    private bool _completed;

    private CreditHold(CreditGuard? guard, CreditGuardContext? context, CreditDenial? denial, CreditBalance? balance, Activity? activity, long? started)
    {
        _guard = guard;
        Context = context;
        Denial = denial;
        Balance = balance;
        _activity = activity;
        _started = started;
        _completed = guard is null;
    }

    /// <summary>Gets a value indicating whether the credits are held (or an enclosing action or an earlier try already paid).</summary>
    [MemberNotNullWhen(true, nameof(Context))]
    [MemberNotNullWhen(false, nameof(Denial))]
    public bool IsGranted => Context is not null;

    /// <summary>Gets the action's context: its reservation, and where it reports a metered cost or the tokens used.</summary>
    public CreditGuardContext? Context { get; }

    /// <summary>Gets why the action was refused, when it was.</summary>
    public CreditDenial? Denial { get; }

    /// <summary>Gets the newest balance this hold saw: after the reservation (or refusal), then after its commit or release.</summary>
    /// <remarks><see langword="null"/> when nothing about the workspace is known yet (a refusal from memory in a new process).</remarks>
    public CreditBalance? Balance { get; private set; }

    /// <summary>Gets a value indicating whether the hold charges nothing itself: an enclosing action or an earlier try of the same key pays.</summary>
    public bool IsPaidElsewhere => IsGranted && _guard is null;

    internal Activity? Activity => _activity;

    /// <summary>Charges the held credits, or <paramref name="actualCredits"/> of them; the rest goes back to the pool.</summary>
    /// <param name="actualCredits">What the action really cost (at most what is held), or <see langword="null"/> for the context's reported cost, else all of it.</param>
    /// <param name="tokens">Tokens the action used, added to those recorded on the context, for the usage record.</param>
    /// <returns>A task that completes when the ledger has the charge.</returns>
    /// <exception cref="InvalidOperationException">The hold was refused, or is already committed or released.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="actualCredits"/> is negative or above what is held.</exception>
    /// <remarks>
    /// The commit is not cancellable: once the AI work ran, its charge is delivered even when the caller gave up. An
    /// action that outlived its hold (its TTL passed, and the ledger gave the credits back) is charged again now as the
    /// user action's next attempt; when the pool refuses that, the work stays uncharged and a warning is logged.
    /// </remarks>
    public async ValueTask CommitAsync(long? actualCredits = null, long? tokens = null)
    {
        if (!IsGranted)
        {
            throw new InvalidOperationException("The hold was refused: there is nothing to commit. Check IsGranted first.");
        }

        if (actualCredits is { } actual)
        {
            Context.ReportActualCost(actual);
        }

        if (tokens is { } used)
        {
            Context.TokensUsed = (Context.TokensUsed ?? 0) + used;
        }

        if (_guard is null)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(_completed, this);

        // Completed before the call: a commit that fails must not turn into a release when the hold is disposed.
        _completed = true;
        Balance = await _guard.CommitAsync(Context).ConfigureAwait(false) ?? Balance;
        Complete("committed");
    }

    /// <summary>Gives the held credits back unless they were committed: a failed or abandoned action costs nothing.</summary>
    /// <returns>A task that completes when the credits are back (or the release failed and was logged; the TTL returns them then).</returns>
    public async ValueTask DisposeAsync()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        Balance = await _guard!.ReleaseAsync(Context!).ConfigureAwait(false) ?? Balance;
        Complete("released");
    }

    /// <summary>
    /// Makes this hold the enclosing action of the code until the returned scope is disposed: guarded clients and
    /// guarded chat clients called inside for the same feature and workspace reuse it instead of reserving again.
    /// </summary>
    /// <returns>The scope; dispose it on the same flow that entered it.</returns>
    /// <exception cref="InvalidOperationException">The hold was refused, or was entered before.</exception>
    public IDisposable Enter()
    {
        if (!IsGranted)
        {
            throw new InvalidOperationException("The hold was refused: there is nothing to run on. Check IsGranted first.");
        }

        // A reused hold's context is already the enclosing one.
        return IsPaidElsewhere && Context.Entered ? NoScope.Instance : GuardScope.Enter(Context);
    }

    internal static CreditHold Refused(CreditDenial denial, CreditBalance? balance) => new(null, null, denial, balance, null, null);

    internal static CreditHold PaidElsewhere(CreditGuardContext context, CreditBalance? balance) => new(null, context, null, balance, null, null);

    internal static CreditHold Held(CreditGuard guard, CreditGuardContext context, CreditBalance balance, Activity? activity, long? started)
        => new(guard, context, null, balance, activity, started);

    private void Complete(string outcome)
    {
        _activity?.SetTag("versana.outcome", outcome);
        _activity?.Dispose();
        _guard!.Completed(Context!.Feature, outcome, _started);
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
