namespace Versana.Sdk;

/// <summary>
/// Thrown when a ledger request cannot be carried out. The ledger is left exactly as it was.
/// </summary>
/// <remarks>Denials (a paused pool, a plan without AI) are not errors: they come back as <see cref="CreditDenial"/>.</remarks>
public sealed class CreditLedgerException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CreditLedgerException"/> class.</summary>
    public CreditLedgerException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CreditLedgerException"/> class.</summary>
    /// <param name="message">The message.</param>
    public CreditLedgerException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CreditLedgerException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CreditLedgerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CreditLedgerException"/> class.</summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="message">A message that says what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CreditLedgerException(CreditLedgerError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Gets what went wrong.</summary>
    public CreditLedgerError Error { get; }
}
