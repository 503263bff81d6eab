using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Versana.Sdk.Testing;

namespace Versana.Server.Tests.Conformance;

/// <summary>
/// The conformance suite against <see cref="RemoteCreditLedger"/>: each ledger is the credits API in an app of its own
/// on a loopback port, over an in-memory ledger with the suite's options and clock, reached with the admin key.
/// </summary>
public abstract class RemoteLedgerConformanceTestsBase : CreditLedgerConformanceTests
{
    private const string AdminKey = "va_conformance-admin-key-0123456789-0123456789abcdef";
    private readonly List<(WebApplication App, HttpClient Http)> _servers = [];

    protected abstract LedgerUnavailableBehavior WhenUnavailable { get; }

    protected override async ValueTask<ICreditLedger> CreateLedgerAsync(CreditLedgerOptions options, TimeProvider timeProvider)
    {
        var (app, url) = await SlimApiApp.StartAsync(services => services
            .AddVersana()
            .UseLedger(_ => CreditLedger.CreateInMemory(options, timeProvider))
            .AddCreditsApi(o =>
            {
                o.AdminKey = AdminKey;
                o.PermitsPerSecond = 100_000;
                o.BurstPermits = 100_000;
            }));
        var http = new HttpClient { BaseAddress = url };
        _servers.Add((app, http));
        return new RemoteCreditLedger(http, new RemoteLedgerOptions { BaseAddress = url, ApiKey = AdminKey, WhenUnavailable = WhenUnavailable }, timeProvider);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var (app, http) in _servers)
        {
            http.Dispose();
            await app.DisposeAsync();
        }
    }
}

/// <summary>The remote ledger failing closed (the default).</summary>
public sealed class RemoteLedgerConformanceTests : RemoteLedgerConformanceTestsBase
{
    protected override LedgerUnavailableBehavior WhenUnavailable => LedgerUnavailableBehavior.FailClosed;
}

/// <summary>The remote ledger configured to fail open: with the service reachable it must answer exactly as failing closed.</summary>
public sealed class FailOpenRemoteLedgerConformanceTests : RemoteLedgerConformanceTestsBase
{
    protected override LedgerUnavailableBehavior WhenUnavailable => LedgerUnavailableBehavior.FailOpen;
}
