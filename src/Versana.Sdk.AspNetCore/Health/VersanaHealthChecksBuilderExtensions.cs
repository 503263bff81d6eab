using Versana.Sdk.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Versana ledger health check.</summary>
public static class VersanaHealthChecksBuilderExtensions
{
    /// <summary>Adds a check that the ledger answers (its store is reachable).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddVersanaLedger(this IHealthChecksBuilder builder, string name = "versana-ledger")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<LedgerHealthCheck>(name, tags: ["ready"]);
    }
}
