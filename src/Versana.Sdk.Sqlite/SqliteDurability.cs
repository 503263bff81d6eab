namespace Versana.Sdk.Sqlite;

/// <summary>
/// What an acknowledged ledger change survives.
/// </summary>
public enum SqliteDurability
{
    /// <summary>
    /// WAL with <c>synchronous=NORMAL</c>: an acknowledged change survives a crash or kill of the process,
    /// but the last changes before a power loss or OS crash may be lost. The default: fast, and what the
    /// SIGKILL test checks.
    /// </summary>
    ProcessCrash = 0,

    /// <summary>WAL with <c>synchronous=FULL</c>: an acknowledged change also survives a power loss, at the cost of an fsync per group commit.</summary>
    PowerLoss = 1,
}
