namespace Versana.Sdk.Rules;

/// <summary>What a decision changed: the account after it, the entries it made (in order) and its answer.</summary>
/// <typeparam name="T">The answer's type.</typeparam>
internal sealed record Decision<T>(AccountState State, IReadOnlyList<LedgerEntry> Entries, T Reply);

/// <summary>
/// The entries a decision makes, each numbered after the last and applied at once, so the next rule in the same
/// decision sees its effect. Local to one decision; the rules stay pure.
/// </summary>
internal sealed class DecisionLog(AccountState? state)
{
    private readonly List<LedgerEntry> _entries = [];

    public AccountState? State { get; private set; } = state;

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    /// <summary>Numbers <paramref name="entry"/>, applies it and returns the account after it.</summary>
    public AccountState Append(LedgerEntry entry)
    {
        var numbered = entry with { Sequence = (State?.LastSequence ?? 0) + 1 };
        State = CreditRules.Apply(State, numbered);
        _entries.Add(numbered);
        return State;
    }

    public Decision<T> Done<T>(T reply) => new(State!, _entries, reply);
}
