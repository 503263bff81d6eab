namespace Versana.Sdk.Sqlite;

/// <summary>
/// Options of the SQLite ledger store.
/// </summary>
public sealed class SqliteLedgerOptions
{
    /// <summary>Gets or sets the database file path. Default: <c>versana-ledger.db</c> in the current directory.</summary>
    public string Path { get; set; } = "versana-ledger.db";

    /// <summary>Gets or sets what an acknowledged change survives. Default: <see cref="SqliteDurability.ProcessCrash"/>.</summary>
    public SqliteDurability Durability { get; set; } = SqliteDurability.ProcessCrash;

    /// <summary>Gets or sets the most decisions written in one transaction (group commit). Default: 256.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Gets or sets how long to wait for another process's write lock on the file. Default: 10 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
