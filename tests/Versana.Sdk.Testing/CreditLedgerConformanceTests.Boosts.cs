using Xunit;

namespace Versana.Sdk.Testing;

public abstract partial class CreditLedgerConformanceTests
{
    [Fact]
    public async Task BoostPack_AddsCreditsAtOnce_AndLiftsAPause()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 3_000);
        Assert.True((await ledger.GetBalanceAsync("acme")).Paused);

        var purchase = await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "boost-1"));

        Assert.Equal(1_000, purchase.Credits);
        Assert.Equal(1_000, purchase.Balance.BoostRemaining);
        Assert.Equal(1_000, purchase.Balance.Available);
        Assert.Equal(3_000, purchase.Balance.Allocation);
        Assert.False(purchase.Balance.Paused);
        Assert.True((await ledger.ReserveAsync("acme", Request(AiFeature.ReplySuggestion))).IsGranted);
    }

    [Fact]
    public async Task Spending_TakesTheMonthlyAllocationFirst_ThenBoostPacks()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "boost-1"));

        var first = await Spend(ledger, "acme", AiFeature.ConversationSummary, 2_990);
        var second = await Spend(ledger, "acme", AiFeature.ConversationSummary, 20);

        Assert.Equal(1_000, first.Balance.BoostRemaining);
        Assert.Equal(3_000, second.Balance.Used);
        Assert.Equal(990, second.Balance.BoostRemaining);
        var parts = (await ledger.GetEntriesAsync("acme", 0, 1000)).Last(e => e.Kind == LedgerEntryKind.Committed).Parts!;
        Assert.Equal(CreditPart.MonthlyBucket, parts[0].Bucket);
        Assert.Equal(10, parts[0].Credits);
        Assert.Equal(10, parts[1].Credits);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task BoostPacks_AreSpentEarliestExpiryFirst()
    {
        var ledger = await NewLedgerAsync(o => o.BoostPackLifetime = TimeSpan.FromDays(90));
        await WithWorkspace(ledger);
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 3_000);
        var early = await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "early"));
        Clock.Advance(TimeSpan.FromDays(1));
        var late = await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "late"));

        await Spend(ledger, "acme", AiFeature.ConversationSummary, 1_200);

        var parts = (await ledger.GetEntriesAsync("acme", 0, 1000)).Last(e => e.Kind == LedgerEntryKind.Committed).Parts!;
        Assert.Equal([new CreditPart(early.BoostId, 1_000), new CreditPart(late.BoostId, 200)], parts);
        Assert.Equal(800, (await ledger.GetBalanceAsync("acme")).BoostRemaining);
    }

    [Fact]
    public async Task BoostPacks_BoughtInTheSameInstant_AreSpentInTheOrderTheyWereBought()
    {
        var ledger = await NewLedgerAsync(o => o.BoostPackLifetime = TimeSpan.FromDays(90));
        await WithWorkspace(ledger);
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 3_000);
        var packs = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            packs.Add((await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, $"pack-{i}"))).BoostId);
        }

        await Spend(ledger, "acme", AiFeature.ConversationSummary, 2_500);

        var parts = (await ledger.GetEntriesAsync("acme", 0, 1000)).Last(e => e.Kind == LedgerEntryKind.Committed).Parts!;
        Assert.Equal([new CreditPart(packs[0], 1_000), new CreditPart(packs[1], 1_000), new CreditPart(packs[2], 500)], parts);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task BoostPacks_SurviveTheMonthlyRefresh()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(5_000, "boost-1"));

        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

        var balance = await ledger.GetBalanceAsync("acme");
        Assert.Equal(3_000, balance.Allocation);
        Assert.Equal(5_000, balance.BoostRemaining);
        Assert.Equal(8_000, balance.Available);
    }

    [Fact]
    public async Task ExpiredBoostPack_Lapses()
    {
        var ledger = await NewLedgerAsync(o => o.BoostPackLifetime = TimeSpan.FromDays(30));
        await WithWorkspace(ledger);
        var purchase = await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "boost-1"));

        Clock.Advance(TimeSpan.FromDays(30));

        var balance = await ledger.GetBalanceAsync("acme");
        Assert.Equal(0, balance.BoostRemaining);
        Assert.Equal(3_000, balance.Available);
        Assert.Equal(purchase.PurchasedAt.AddDays(30), purchase.ExpiresAt);
        Assert.Single(await ledger.GetEntriesAsync("acme", 0, 1000), e => e.Kind == LedgerEntryKind.BoostExpired);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task ExpiredBoostPack_KeepsWhatIsHeld_AndTheBalanceStillAddsUp()
    {
        var ledger = await NewLedgerAsync(o => o.BoostPackLifetime = TimeSpan.FromDays(10));
        await WithWorkspace(ledger);
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 3_000);
        await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "boost-1"));
        Clock.Advance(TimeSpan.FromDays(10) - TimeSpan.FromMinutes(1));
        var committed = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 5, ttl: TimeSpan.FromHours(1)));
        var released = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 7, ttl: TimeSpan.FromHours(1)));
        Assert.True(committed.IsGranted && released.IsGranted);

        // The pack expires while 12 of its credits are held: those stay with their reservations, the rest lapses.
        Clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await ledger.GetBalanceAsync("acme");
        Assert.Equal(12, expired.Held);
        Assert.Equal(12, expired.BoostRemaining);
        Assert.Equal(0, expired.Available);
        Assert.Equal(expired.MonthlyRemaining + expired.BoostRemaining - expired.Held, expired.Available);
        Assert.Equal(988, (await ledger.GetEntriesAsync("acme", 0, 1000)).Single(e => e.Kind == LedgerEntryKind.BoostExpired).Credits);

        // A commit charges the held credits of the expired pack; what it gives back lapses with the pack.
        var commit = await ledger.CommitAsync("acme", committed.Reservation.Id, actualCredits: 3);
        Assert.Equal(3, commit.Charged);
        Assert.Equal(7, commit.Balance.Held);
        Assert.Equal(7, commit.Balance.BoostRemaining);
        Assert.Equal(0, commit.Balance.Available);

        var release = await ledger.ReleaseAsync("acme", released.Reservation.Id);
        Assert.Equal(0, release.Balance.Held);
        Assert.Equal(0, release.Balance.BoostRemaining);
        Assert.Equal(0, release.Balance.Available);
        Assert.True(release.Balance.Paused);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task BoostPurchase_WithTheSameKey_AddsCreditsOnce()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());

        var first = await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "boost-1"));
        var second = await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "boost-1"));

        Assert.Equal(first.BoostId, second.BoostId);
        Assert.Equal(1_000, second.Balance.BoostRemaining);
        var ex = await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(5_000, "boost-1")).AsTask());
        Assert.Equal(CreditLedgerError.IdempotencyKeyReused, ex.Error);
    }
}
