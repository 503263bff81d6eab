using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Versana.Sdk.Testing;

/// <summary>
/// The behaviour every ledger store must show. A store's test project derives from this class and
/// says how to build a ledger over a fresh store; every test here then runs against it unchanged.
/// </summary>
public abstract partial class CreditLedgerConformanceTests : IAsyncLifetime
{
    /// <summary>Mid-month, so tests have room on both sides of the refresh.</summary>
    protected static readonly DateTimeOffset Start = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly List<ICreditLedger> _ledgers = [];

    protected FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>Builds a ledger over a new, empty store whose rules use <paramref name="options"/> and <paramref name="timeProvider"/>.</summary>
    protected abstract ValueTask<ICreditLedger> CreateLedgerAsync(CreditLedgerOptions options, TimeProvider timeProvider);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var ledger in _ledgers)
        {
            switch (ledger)
            {
                case IAsyncDisposable disposable:
                    await disposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <param name="configure">Changes the default options.</param>
    /// <param name="clock">The ledger's clock; <see cref="Clock"/> by default.</param>
    protected async Task<ICreditLedger> NewLedgerAsync(Action<CreditLedgerOptions>? configure = null, TimeProvider? clock = null)
    {
        var options = new CreditLedgerOptions();
        configure?.Invoke(options);
        var ledger = await CreateLedgerAsync(options, clock ?? Clock);
        _ledgers.Add(ledger);
        return ledger;
    }

    protected static async Task<ICreditLedger> WithWorkspace(ICreditLedger ledger, string plan = "Starter", string id = "acme", bool automation = true, string? timeZone = null)
    {
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings(id, plan) { AutomationEnabled = automation, TimeZoneId = timeZone });
        return ledger;
    }

    protected static ReservationRequest Request(AiFeature feature, long? credits = null, string? key = null, string? actor = null, TimeSpan? ttl = null)
        => new(feature, key ?? Guid.NewGuid().ToString("N")) { Credits = credits, Actor = actor, Ttl = ttl };

    /// <summary>Reserves and commits, asserting the reservation was granted.</summary>
    protected static async Task<CommitResult> Spend(ICreditLedger ledger, string workspace, AiFeature feature, long? credits = null)
    {
        var result = await ledger.ReserveAsync(workspace, Request(feature, credits));
        Assert.True(result.IsGranted, result.Denial?.Message);
        return await ledger.CommitAsync(workspace, result.Reservation.Id);
    }

    /// <summary>Everything observable about a workspace, to compare before and after a refused request.</summary>
    protected static async Task<string> Observe(ICreditLedger ledger, string workspace)
    {
        var balance = await ledger.GetBalanceAsync(workspace);
        var entries = await ledger.GetEntriesAsync(workspace, 0, 1000);
        return $"{balance with { AsOf = default }}|{entries.Count}|{(entries.Count > 0 ? entries[^1].Kind : default)}";
    }

    protected static async Task AssertConsistent(ICreditLedger ledger, string workspace)
    {
        var verification = await ledger.VerifyAsync(workspace);
        Assert.True(verification.IsConsistent, string.Join("; ", verification.Differences));
        Assert.Equal(verification.Stored with { AsOf = default }, verification.Replayed with { AsOf = default });
    }
}
