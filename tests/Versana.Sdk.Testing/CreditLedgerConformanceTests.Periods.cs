using Xunit;

namespace Versana.Sdk.Testing;

public abstract partial class CreditLedgerConformanceTests
{
    [Theory]
    [InlineData("UTC", "2026-12-01T00:00:00Z")]
    [InlineData("America/New_York", "2026-12-01T05:00:00Z")]
    [InlineData("Pacific/Auckland", "2026-11-30T11:00:00Z")]
    public async Task Refresh_HappensAtLocalMidnightOnTheFirst(string timeZone, string refreshUtc)
    {
        var refresh = DateTimeOffset.Parse(refreshUtc, System.Globalization.CultureInfo.InvariantCulture);
        Clock.SetUtcNow(refresh.AddDays(-3));
        var ledger = await WithWorkspace(await NewLedgerAsync(), timeZone: timeZone);
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 3_000);

        Clock.SetUtcNow(refresh.AddTicks(-1));
        var last = await ledger.GetBalanceAsync("acme");
        Clock.SetUtcNow(refresh);
        var first = await ledger.GetBalanceAsync("acme");

        Assert.Equal(0, last.Available);
        Assert.True(last.Paused);
        Assert.Equal(refresh, last.ResumesAt);
        Assert.Equal(refresh, last.PeriodEnd);
        Assert.Equal(3_000, first.Available);
        Assert.Equal(0, first.Used);
        Assert.False(first.Paused);
        Assert.Equal(refresh, first.PeriodStart);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task Refresh_WhereDaylightSavingSkipsMidnightOnTheFirst_HappensOnce_WhenTheGapEnds()
    {
        // America/Asuncion, 1 October 2023: the clock went from 23:59:59 (-04:00) to 01:00 (-03:00).
        var gapEnds = new DateTimeOffset(2023, 10, 1, 4, 0, 0, TimeSpan.Zero);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(gapEnds.AddDays(-2));
        var ledger = await WithWorkspace(await NewLedgerAsync(clock: clock), timeZone: "America/Asuncion");
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 3_000);

        for (var now = gapEnds.AddHours(-6); now < gapEnds.AddHours(6); now = now.AddMinutes(15))
        {
            clock.SetUtcNow(now);
            var balance = await ledger.GetBalanceAsync("acme");
            Assert.True(balance.PeriodStart <= now && now < balance.PeriodEnd, $"{now:O} is outside {balance.PeriodStart:O}..{balance.PeriodEnd:O}");
            Assert.Equal(now < gapEnds ? 0 : 3_000, balance.Available);
        }

        var entries = await ledger.GetEntriesAsync("acme", 0, 1_000);
        Assert.Equal(2, entries.Count(e => e.Kind == LedgerEntryKind.PeriodStarted));
        Assert.Equal(gapEnds, entries.Last(e => e.Kind == LedgerEntryKind.PeriodStarted).PeriodStart);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task UnusedAllocation_DoesNotCarryOver()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        await Spend(ledger, "acme", AiFeature.ReplySuggestion, 100);

        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

        var balance = await ledger.GetBalanceAsync("acme");
        Assert.Equal(3_000, balance.Allocation);
        Assert.Equal(3_000, balance.Available);
    }

    [Fact]
    public async Task Refresh_HappensForAProcessThatSleptThroughSeveralMonths()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        await Spend(ledger, "acme", AiFeature.ReplySuggestion, 3_000);

        Clock.SetUtcNow(new DateTimeOffset(2027, 3, 9, 8, 0, 0, TimeSpan.Zero));

        var balance = await ledger.GetBalanceAsync("acme");
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero), balance.PeriodStart);
        Assert.Equal(3_000, balance.Available);
    }

    [Fact]
    public async Task ReservationStraddlingTheRefresh_IsChargedToThePeriodItWasReservedFrom()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 23, 59, 30, TimeSpan.Zero));
        var reservation = await ledger.ReserveAsync("acme", Request(AiFeature.AutomatedResponse));

        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 30, TimeSpan.Zero));
        var commit = await ledger.CommitAsync("acme", reservation.Reservation!.Id);

        Assert.Equal(2, commit.Charged);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), commit.Reservation.PeriodStart);
        Assert.Equal(0, commit.Balance.Used);
        Assert.Equal(0, commit.Balance.Held);
        Assert.Equal(3_000, commit.Balance.Available);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task BoostHeldAcrossTheRefresh_IsChargedFromThePack()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        await Spend(ledger, "acme", AiFeature.ReplySuggestion, 3_000);
        await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "boost-1"));
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 23, 59, 30, TimeSpan.Zero));
        var reservation = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 10));

        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 30, TimeSpan.Zero));
        var commit = await ledger.CommitAsync("acme", reservation.Reservation!.Id);

        Assert.Equal(990, commit.Balance.BoostRemaining);
        Assert.Equal(3_000, commit.Balance.MonthlyRemaining);
        await AssertConsistent(ledger, "acme");
    }
}
