using Versana.Sdk;
using Versana.Sdk.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Chooses the embedded SQLite ledger for the Versana SDK.
/// </summary>
public static class SqliteVersanaBuilderExtensions
{
    /// <summary>Keeps the ledger in a SQLite file on this machine: durable, no server. The default for one machine.</summary>
    /// <param name="builder">The Versana builder.</param>
    /// <param name="path">The database file; created with its folder when missing.</param>
    /// <param name="configure">Configures durability and batching, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static VersanaBuilder UseSqliteLedger(this VersanaBuilder builder, string path, Action<SqliteLedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var options = new SqliteLedgerOptions { Path = path };
        configure?.Invoke(options);
        return builder.UseLedger(sp => SqliteCreditLedger.Open(options, sp.GetVersanaOptions().Ledger, sp.GetRequiredService<TimeProvider>()));
    }
}
