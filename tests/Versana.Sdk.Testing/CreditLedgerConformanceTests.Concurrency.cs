using Xunit;

namespace Versana.Sdk.Testing;

public abstract partial class CreditLedgerConformanceTests
{
    [Fact]
    public async Task ConcurrentSpenders_NeverOverspend_AndTheBalanceEqualsTheReplay()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        long charged = 0;
        long boosted = 0;
        var commits = 0;

        async Task Spender(int worker)
        {
            while (true)
            {
                var result = await ledger.ReserveAsync("acme", Request(AiFeature.ReplySuggestion, actor: $"agent-{worker}"));
                if (!result.IsGranted)
                {
                    return;
                }

                var commit = await ledger.CommitAsync("acme", result.Reservation.Id);
                Interlocked.Add(ref charged, commit.Charged);

                // One worker buys a pack part-way through, while the others keep spending.
                if (Interlocked.Increment(ref commits) == 1_500)
                {
                    var purchase = await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "mid-run"));
                    Interlocked.Add(ref boosted, purchase.Credits);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => Spender(i))));

        Assert.Equal(1_000, boosted);
        Assert.Equal(3_000 + boosted, charged);
        var balance = await ledger.GetBalanceAsync("acme");
        Assert.Equal(3_000, balance.Used);
        Assert.Equal(0, balance.BoostRemaining);
        Assert.Equal(0, balance.Available);
        Assert.Equal(0, balance.Held);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task SameKey_RepeatedConcurrently_HasOneEffect()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());

        var reservations = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 10, key: "same")).AsTask())));
        var id = Assert.Single(reservations.Select(r => r.Reservation!.Id).Distinct());
        Assert.Equal(10, (await ledger.GetBalanceAsync("acme")).Held);

        var commits = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => ledger.CommitAsync("acme", id, 7).AsTask())));
        Assert.All(commits, c => Assert.Equal(7, c.Charged));

        var other = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 10));
        var releases = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => ledger.ReleaseAsync("acme", other.Reservation!.Id).AsTask())));
        Assert.All(releases, r => Assert.Equal(10, r.Returned));

        var boosts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "boost")).AsTask())));
        Assert.Single(boosts.Select(b => b.BoostId).Distinct());

        var balance = await ledger.GetBalanceAsync("acme");
        Assert.Equal(7, balance.Used);
        Assert.Equal(0, balance.Held);
        Assert.Equal(1_000, balance.BoostRemaining);
        var entries = await ledger.GetEntriesAsync("acme", 0, 1000);
        Assert.Equal(2, entries.Count(e => e.Kind == LedgerEntryKind.Reserved));
        Assert.Single(entries, e => e.Kind == LedgerEntryKind.Committed);
        Assert.Single(entries, e => e.Kind == LedgerEntryKind.Released);
        Assert.Single(entries, e => e.Kind == LedgerEntryKind.BoostPurchased);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task ExpiredReservation_IsReleasedExactlyOnce_UnderConcurrentTouches()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        for (var i = 0; i < 20; i++)
        {
            await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 5));
        }

        Clock.Advance(TimeSpan.FromMinutes(5));
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => ledger.GetBalanceAsync("acme").AsTask())));

        var entries = await ledger.GetEntriesAsync("acme", 0, 1000);
        Assert.Equal(20, entries.Count(e => e.Kind == LedgerEntryKind.ReservationExpired));
        Assert.Equal(20, entries.Where(e => e.Kind == LedgerEntryKind.ReservationExpired).Select(e => e.ReservationId).Distinct().Count());
        Assert.Equal(3_000, (await ledger.GetBalanceAsync("acme")).Available);
        await AssertConsistent(ledger, "acme");
    }
}
