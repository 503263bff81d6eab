namespace Versana.Sdk.Sqlite;

/// <summary>
/// Creates credit ledgers over the embedded SQLite store.
/// </summary>
public static class SqliteCreditLedger
{
    /// <summary>Opens (or creates) a ledger database and returns the ledger over it.</summary>
    /// <param name="sqliteOptions">Where the file is and what an acknowledged change survives.</param>
    /// <param name="options">The ledger options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <returns>The ledger; dispose it to finish pending writes and close the file.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first parameter's type (options or a string), so no call can be ambiguous.")]
    public static CreditLedger Open(SqliteLedgerOptions sqliteOptions, CreditLedgerOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sqliteOptions);
        var ledgerOptions = options ?? new CreditLedgerOptions();
        ledgerOptions.ThrowIfInvalid();
        var store = SqliteCreditStore.Open(sqliteOptions);
        return new CreditLedger(store, ledgerOptions, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Opens (or creates) the ledger database at <paramref name="path"/>.</summary>
    /// <param name="path">The database file path.</param>
    /// <param name="options">The ledger options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <returns>The ledger; dispose it to finish pending writes and close the file.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first parameter's type (options or a string), so no call can be ambiguous.")]
    public static CreditLedger Open(string path, CreditLedgerOptions? options = null, TimeProvider? timeProvider = null)
        => Open(new SqliteLedgerOptions { Path = path }, options, timeProvider);
}
