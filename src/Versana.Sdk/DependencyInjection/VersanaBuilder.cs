using Microsoft.Extensions.DependencyInjection.Extensions;
using Versana.Sdk;
using Versana.Sdk.Ledger.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures the Versana SDK services: which ledger, which AI backend, how the workspace is resolved.
/// </summary>
public sealed class VersanaBuilder
{
    internal VersanaBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Keeps the ledger in memory: for tests, samples and single-process development. Nothing survives the process.</summary>
    /// <returns>This builder.</returns>
    public VersanaBuilder UseInMemoryLedger()
        => UseLedger(static sp => new CreditLedger(new InMemoryCreditStore(), sp.GetVersanaOptions().Ledger, sp.GetRequiredService<TimeProvider>()));

    /// <summary>Uses a ledger of your own (a store, a remote client, a test double).</summary>
    /// <param name="factory">Creates the ledger; the container disposes it when it is disposable.</param>
    /// <returns>This builder.</returns>
    public VersanaBuilder UseLedger(Func<IServiceProvider, ICreditLedger> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<VersanaLedgerHolder>();
        Services.AddSingleton(sp => new VersanaLedgerHolder(factory(sp)));
        return this;
    }

    /// <summary>Uses the built-in offline AI engine (the default): deterministic, no network, no key.</summary>
    /// <returns>This builder.</returns>
    public VersanaBuilder UseOfflineBackend() => UseBackend(static _ => new OfflineAiBackend());

    /// <summary>Uses the <see cref="Microsoft.Extensions.AI.IChatClient"/> registered in the container as the AI backend.</summary>
    /// <param name="configure">Adjusts the prompts, or <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    public VersanaBuilder UseChatClientBackend(Action<ChatClientBackendOptions>? configure = null)
    {
        var options = new ChatClientBackendOptions();
        configure?.Invoke(options);
        return UseBackend(sp => new ChatClientAiBackend(sp.GetRequiredService<Microsoft.Extensions.AI.IChatClient>(), options));
    }

    /// <summary>Uses an AI backend of your own; the SDK wraps it in guarded feature clients.</summary>
    /// <param name="factory">Creates the backend.</param>
    /// <returns>This builder.</returns>
    public VersanaBuilder UseBackend(Func<IServiceProvider, IAiFeatureBackend> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<IAiFeatureBackend>();
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Resolves the current workspace with <typeparamref name="TAccessor"/> (multi-tenant apps).</summary>
    /// <typeparam name="TAccessor">The accessor type.</typeparam>
    /// <returns>This builder.</returns>
    public VersanaBuilder UseWorkspaceAccessor<TAccessor>()
        where TAccessor : class, IWorkspaceAccessor
    {
        Services.RemoveAll<IWorkspaceAccessor>();
        Services.AddSingleton<IWorkspaceAccessor, TAccessor>();
        return this;
    }
}
