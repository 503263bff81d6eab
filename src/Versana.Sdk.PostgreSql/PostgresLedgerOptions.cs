namespace Versana.Sdk.PostgreSql;

/// <summary>Where the PostgreSQL ledger lives and how it batches.</summary>
public sealed class PostgresLedgerOptions
{
    /// <summary>Gets or sets the Npgsql connection string (from configuration, never from code).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Gets or sets the schema the ledger's tables live in (created when missing). Default <c>versana</c>.</summary>
    public string Schema { get; set; } = "versana";

    /// <summary>Gets or sets the most decisions one transaction carries (group commit). Default 256.</summary>
    public int MaxBatchSize { get; set; } = 256;
}
