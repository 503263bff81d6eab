namespace Versana.Sdk.PostgreSql;

/// <summary>Opens a credit ledger stored in PostgreSQL, shared by every process that opens the same database and schema.</summary>
public static class PostgresCreditLedger
{
    /// <summary>Opens (and creates or migrates the schema of) a PostgreSQL ledger.</summary>
    /// <param name="postgresOptions">The connection string, schema and batching.</param>
    /// <param name="options">The ledger options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <returns>The ledger; dispose it to stop its writer.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first parameter's type (options or a string), so no call can be ambiguous.")]
    public static CreditLedger Open(PostgresLedgerOptions postgresOptions, CreditLedgerOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(postgresOptions);
        var ledgerOptions = options ?? new CreditLedgerOptions();
        ledgerOptions.ThrowIfInvalid();
        return new CreditLedger(PostgresCreditStore.Open(postgresOptions), ledgerOptions, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Opens a PostgreSQL ledger in the <c>versana</c> schema.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="options">The ledger options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <returns>The ledger.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first parameter's type (options or a string), so no call can be ambiguous.")]
    public static CreditLedger Open(string connectionString, CreditLedgerOptions? options = null, TimeProvider? timeProvider = null)
        => Open(new PostgresLedgerOptions { ConnectionString = connectionString }, options, timeProvider);
}
