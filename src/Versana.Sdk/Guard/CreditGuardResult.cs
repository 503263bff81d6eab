using System.Diagnostics.CodeAnalysis;

namespace Versana.Sdk;

/// <summary>
/// The outcome of <see cref="ICreditGuard.TryExecuteAsync{T}"/>: the action's value, or why it was refused.
/// </summary>
/// <typeparam name="T">The action's value type.</typeparam>
public readonly struct CreditGuardResult<T>
{
    internal CreditGuardResult(T value)
    {
        Value = value;
        Denial = null;
    }

    internal CreditGuardResult(CreditDenial denial)
    {
        Value = default;
        Denial = denial;
    }

    /// <summary>Gets the action's value, when it ran.</summary>
    public T? Value { get; }

    /// <summary>Gets why the action was refused, when it was.</summary>
    public CreditDenial? Denial { get; }

    /// <summary>Gets a value indicating whether the action ran and was charged.</summary>
    [MemberNotNullWhen(false, nameof(Denial))]
    public bool Succeeded => Denial is null;
}
