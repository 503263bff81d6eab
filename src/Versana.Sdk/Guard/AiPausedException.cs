namespace Versana.Sdk;

/// <summary>
/// Thrown when an AI action is refused: the pool is paused, the plan excludes AI, or automation is off.
/// Nothing was charged.
/// </summary>
public sealed class AiPausedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="AiPausedException"/> class.</summary>
    public AiPausedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiPausedException"/> class.</summary>
    /// <param name="message">The message.</param>
    public AiPausedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiPausedException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AiPausedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiPausedException"/> class from a denial.</summary>
    /// <param name="denial">The denial.</param>
    /// <param name="balance">The balance when the action was refused, if known.</param>
    public AiPausedException(CreditDenial denial, CreditBalance? balance)
        : base((denial ?? throw new ArgumentNullException(nameof(denial))).Message)
    {
        Denial = denial;
        Balance = balance;
    }

    /// <summary>Gets the denial.</summary>
    public CreditDenial? Denial { get; }

    /// <summary>Gets why the action was refused.</summary>
    public CreditDenialReason? Reason => Denial?.Reason;

    /// <summary>Gets when the refusal ends by itself (the next refresh), if it does.</summary>
    public DateTimeOffset? ResumesAt => Denial?.ResumesAt;

    /// <summary>Gets the boost pack sizes on offer, in credits.</summary>
    public IReadOnlyList<long> BoostPackSizes => Denial?.BoostPackSizes ?? [];

    /// <summary>Gets the balance when the action was refused, if known.</summary>
    public CreditBalance? Balance { get; }
}
