using Versana.Sdk;
using Versana.Sdk.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the Versana ledger in PostgreSQL.</summary>
public static class PostgresVersanaBuilderExtensions
{
    /// <summary>Uses a PostgreSQL ledger: one pool shared by every app instance and server replica on the same database.</summary>
    /// <param name="builder">The Versana builder.</param>
    /// <param name="connectionString">The Npgsql connection string (from configuration).</param>
    /// <param name="configure">Schema and batching, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static VersanaBuilder UsePostgresLedger(this VersanaBuilder builder, string connectionString, Action<PostgresLedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new PostgresLedgerOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        return builder.UseLedger(sp => PostgresCreditLedger.Open(options, sp.GetVersanaOptions().Ledger, sp.GetRequiredService<TimeProvider>()));
    }
}
