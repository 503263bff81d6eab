using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Versana.Server.Tests;

/// <summary>
/// The fail-open allowance is the in-memory ledger's rules on the workspace's own terms, and a bound: what a process
/// grants without the service's knowledge is at most the allowance a month, however many outages there are.
/// </summary>
public sealed class FailOpenAllowanceTests : IAsyncLifetime
{
    private const string AdminKey = "va_fail-open-admin-key-0123456789-0123456789abcdef";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly FaultInjectingHandler _faults = new(1, 0, 0) { InnerHandler = new HttpClientHandler() };
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private CreditLedger _serverLedger = null!;

    public async Task InitializeAsync()
    {
        var options = new CreditLedgerOptions { ReservationTtl = TimeSpan.FromMinutes(10) };
        _serverLedger = CreditLedger.CreateInMemory(options, _clock);
        Uri url;
        (_app, url) = await SlimApiApp.StartAsync(services => services
            .AddVersana()
            .UseLedger(_ => _serverLedger)
            .AddCreditsApi(o => o.AdminKey = AdminKey));
        _http = new HttpClient(_faults) { BaseAddress = url };
        await _serverLedger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter")
        {
            AutomationEnabled = true,
            Costs = new Dictionary<AiFeature, long> { [AiFeature.ConversationSummary] = 3 },
        });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private RemoteCreditLedger FailOpen(long allowance) => new(
        _http,
        new RemoteLedgerOptions { BaseAddress = _http.BaseAddress, ApiKey = AdminKey, WhenUnavailable = LedgerUnavailableBehavior.FailOpen, FailOpenAllowance = allowance },
        _clock);

    private static ReservationRequest Summary(string key) => new(AiFeature.ConversationSummary, key);

    private static async Task<int> GrantedWhileAwayAsync(RemoteCreditLedger remote, string prefix, int attempts)
    {
        var granted = 0;
        for (var i = 0; i < attempts; i++)
        {
            try
            {
                var local = await remote.ReserveAsync("acme", Summary($"{prefix}-{i}"));
                await remote.CommitAsync("acme", local.Reservation!.Id);
                granted++;
            }
            catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.LedgerUnavailable)
            {
            }
        }

        return granted;
    }

    private static async Task ReconciledAsync(RemoteCreditLedger remote)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (remote.UnreconciledCredits > 0)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(CreditLedgerOptions.MaxCredits + 1)]
    public void AnAllowanceOutsideWhatALedgerCanHold_IsRefusedAtConstruction(long allowance)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => FailOpen(allowance));

        Assert.Contains("FailOpenAllowance must be 0 to 1,000,000,000,000", error.Message);
    }

    [Fact]
    public async Task LocalGrants_UseTheWorkspacesPriceAndReservationTtl_AsTheServiceLastReportedThem()
    {
        var remote = FailOpen(allowance: 10);
        var online = await remote.ReserveAsync("acme", Summary("online"));
        await remote.CommitAsync("acme", online.Reservation!.Id);

        _faults.Down = true;
        var local = await remote.ReserveAsync("acme", Summary("away"));

        Assert.StartsWith("local_", local.Reservation!.Id, StringComparison.Ordinal);
        Assert.Equal(3, local.Reservation.Credits);
        Assert.Equal(TimeSpan.FromMinutes(10), local.Reservation.ExpiresAt - local.Reservation.CreatedAt);
        Assert.False(local.Balance.Paused);
        Assert.Equal(7, local.Balance.Available);
    }

    [Fact]
    public async Task RepeatedOutages_WhoseChargesTheServiceRefuses_NeverGrantMoreThanTheAllowanceAMonth()
    {
        var remote = FailOpen(allowance: 6);
        var online = await remote.ReserveAsync("acme", Summary("online"));
        await remote.CommitAsync("acme", online.Reservation!.Id);
        var rest = await _serverLedger.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "the-rest") { Credits = 2_997 });
        await _serverLedger.CommitAsync("acme", rest.Reservation!.Id);
        var servedFree = 0;

        for (var outage = 0; outage < 3; outage++)
        {
            _faults.Down = true;
            servedFree += await GrantedWhileAwayAsync(remote, $"outage{outage}", attempts: 5);

            // Back: the pool is empty, so the service refuses every charge of the outage.
            _faults.Down = false;
            Assert.False((await remote.ReserveAsync("acme", Summary($"back{outage}"))).IsGranted);
            await ReconciledAsync(remote);
        }

        Assert.Equal(2, servedFree); // two summaries at 3 credits: the allowance of 6, once
        Assert.Equal(3_000, (await _serverLedger.GetBalanceAsync("acme")).Used);

        // The local month refreshes with the workspace's: the allowance is back for the next outage.
        _clock.Advance(TimeSpan.FromDays(16));
        _faults.Down = true;
        Assert.Equal(2, await GrantedWhileAwayAsync(remote, "next-month", attempts: 5));
    }
}
