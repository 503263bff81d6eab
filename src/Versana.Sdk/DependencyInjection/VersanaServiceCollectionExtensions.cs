using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Versana.Sdk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the Versana SDK.
/// </summary>
public static class VersanaServiceCollectionExtensions
{
    /// <summary>
    /// Adds the credit guard, the guarded AI feature clients and the offline backend. Choose a ledger on the
    /// returned builder (<c>UseSqliteLedger</c>, <c>UseInMemoryLedger</c>, ...). Safe to call more than once.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options, or <see langword="null"/>.</param>
    /// <returns>A builder to choose the ledger and backend.</returns>
    public static VersanaBuilder AddVersana(this IServiceCollection services, Action<VersanaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<VersanaOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VersanaOptions>, VersanaOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new VersanaDiagnostics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<BalanceCache>();
        services.TryAddSingleton<ICreditLedger>(sp => new CachingCreditLedger(
            sp.GetService<VersanaLedgerHolder>()?.Ledger ?? throw new InvalidOperationException(
                "No credit ledger is configured. Call UseSqliteLedger(path) on the AddVersana builder for a durable ledger on this machine, UseInMemoryLedger() for tests, or UseLedger(...) for your own."),
            sp.GetRequiredService<BalanceCache>()));
        services.TryAddSingleton<IWorkspaceAccessor, DefaultWorkspaceAccessor>();
        services.TryAddSingleton<CreditGuard>();
        services.TryAddSingleton<ICreditGuard>(static sp => sp.GetRequiredService<CreditGuard>());
        services.TryAddSingleton<IAiFeatureBackend, OfflineAiBackend>();
        services.TryAddSingleton<IReplySuggestionClient, GuardedReplySuggestionClient>();
        services.TryAddSingleton<IConversationSummaryClient, GuardedConversationSummaryClient>();
        services.TryAddSingleton<IAutomatedResponseClient, GuardedAutomatedResponseClient>();
        services.TryAddSingleton<IClassificationClient, GuardedClassificationClient>();
        return new VersanaBuilder(services);
    }

    internal static VersanaOptions GetVersanaOptions(this IServiceProvider services)
        => services.GetRequiredService<IOptions<VersanaOptions>>().Value;
}
