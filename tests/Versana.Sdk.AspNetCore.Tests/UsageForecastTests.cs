namespace Versana.Sdk.AspNetCore.Tests;

public sealed class UsageForecastTests
{
    private static readonly DateOnly s_from = new(2026, 11, 1);
    private static readonly DateOnly s_lastDay = new(2026, 11, 30);

    private static UsageReport Usage(params (int Day, long Credits)[] days) => new(
        "acme", s_from, s_from.AddDays(29), days.Sum(d => d.Credits), [],
        [.. days.Select(d => new DailyUsage(new DateOnly(2026, 11, d.Day), AiFeature.ConversationSummary, d.Credits, d.Credits))]);

    [Fact]
    public void RunsOut_AtTheRecentBurnRate()
    {
        // 100 a day over the last 7 days (18th to 24th); 450 left lasts 4 more whole days.
        var usage = Usage([.. Enumerable.Range(18, 7).Select(d => (d, 100L))]);

        var forecast = UsageForecast.Compute(450, usage, new DateOnly(2026, 11, 24), s_lastDay);

        Assert.Equal(100, forecast.BurnPerDay);
        Assert.Equal(new DateOnly(2026, 11, 28), forecast.RunsOutOn);
        Assert.False(forecast.LastsThePeriod);
    }

    [Fact]
    public void OlderUsage_IsOutsideTheWindow()
    {
        var usage = Usage((2, 5000), (24, 70));

        var forecast = UsageForecast.Compute(1000, usage, new DateOnly(2026, 11, 24), s_lastDay);

        Assert.Equal(10, forecast.BurnPerDay);
        Assert.True(forecast.LastsThePeriod);
        Assert.Null(forecast.RunsOutOn);
    }

    [Fact]
    public void EarlyInThePeriod_TheWindowStartsAtTheFirst()
    {
        var usage = Usage((1, 300), (2, 300));

        var forecast = UsageForecast.Compute(2400, usage, new DateOnly(2026, 11, 2), s_lastDay);

        Assert.Equal(300, forecast.BurnPerDay);
        Assert.Equal(new DateOnly(2026, 11, 10), forecast.RunsOutOn);
    }

    [Fact]
    public void NoUsage_LastsThePeriod_AndAnEmptyPool_RanOutToday()
    {
        var today = new DateOnly(2026, 11, 24);

        Assert.True(UsageForecast.Compute(500, Usage(), today, s_lastDay).LastsThePeriod);
        Assert.Equal(today, UsageForecast.Compute(0, Usage((24, 10)), today, s_lastDay).RunsOutOn);
    }
}
