using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Versana.Sdk.Tests.Guard;

/// <summary>The SDK as an app gets it from DI, over an in-memory ledger that counts its calls.</summary>
internal sealed class GuardHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private GuardHarness(ServiceProvider services, CountingLedger counting, FakeTimeProvider clock)
    {
        _services = services;
        Counting = counting;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public CountingLedger Counting { get; }

    public ICreditGuard Guard => _services.GetRequiredService<ICreditGuard>();

    /// <summary>Gets the ledger apps resolve from DI: its replies feed the guard's cache.</summary>
    public ICreditLedger Ledger => _services.GetRequiredService<ICreditLedger>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public static async Task<GuardHarness> CreateAsync(
        string plan = "Starter",
        bool automation = true,
        Action<VersanaOptions>? configure = null,
        CreditLedgerOptions? ledgerOptions = null,
        string? timeZoneId = null)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
        var counting = new CountingLedger(CreditLedger.CreateInMemory(ledgerOptions, clock));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddVersana(o =>
        {
            o.WorkspaceId = "acme";
            configure?.Invoke(o);
        }).UseLedger(_ => counting);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<ICreditLedger>().CreateWorkspaceAsync(new WorkspaceSettings("acme", plan) { AutomationEnabled = automation, TimeZoneId = timeZoneId });
        return new GuardHarness(provider, counting, clock);
    }

    public async Task SpendAsync(long credits)
    {
        var r = await Ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, Guid.NewGuid().ToString("N")) { Credits = credits });
        await Ledger.CommitAsync("acme", r.Reservation!.Id);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
