using System.Globalization;

namespace Versana.Sdk.Tests.Rules;

public sealed class BillingCalendarTests
{
    private static DateTimeOffset Utc(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Theory]
    // UTC: the refresh is midnight UTC.
    [InlineData("UTC", "2026-11-30T23:59:59.9999999Z", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z")]
    [InlineData("UTC", "2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    // New York in EST (UTC-5) for December; November started in EDT (UTC-4).
    [InlineData("America/New_York", "2026-12-01T04:59:59.9999999Z", "2026-11-01T04:00:00Z", "2026-12-01T05:00:00Z")]
    [InlineData("America/New_York", "2026-12-01T05:00:00Z", "2026-12-01T05:00:00Z", "2027-01-01T05:00:00Z")]
    // New York across spring forward: March starts in EST, April in EDT.
    [InlineData("America/New_York", "2027-03-31T12:00:00Z", "2027-03-01T05:00:00Z", "2027-04-01T04:00:00Z")]
    // Auckland: NZDT (UTC+13) in December, NZST (UTC+12) in June; the period starts the previous UTC day.
    [InlineData("Pacific/Auckland", "2026-11-30T10:59:59.9999999Z", "2026-10-31T11:00:00Z", "2026-11-30T11:00:00Z")]
    [InlineData("Pacific/Auckland", "2026-11-30T11:00:00Z", "2026-11-30T11:00:00Z", "2026-12-31T11:00:00Z")]
    [InlineData("Pacific/Auckland", "2026-04-15T00:00:00Z", "2026-03-31T11:00:00Z", "2026-04-30T12:00:00Z")]
    // February in a leap year has 29 days.
    [InlineData("UTC", "2028-02-29T23:59:59.9999999Z", "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z")]
    [InlineData("UTC", "2028-03-01T00:00:00Z", "2028-03-01T00:00:00Z", "2028-04-01T00:00:00Z")]
    [InlineData("UTC", "2027-02-28T23:59:59.9999999Z", "2027-02-01T00:00:00Z", "2027-03-01T00:00:00Z")]
    public void GetPeriod_IsTheLocalCalendarMonth(string zone, string instant, string start, string end)
    {
        var period = BillingCalendar.GetPeriod(Utc(instant), BillingCalendar.FindTimeZone(zone));

        Assert.Equal(Utc(start), period.Start);
        Assert.Equal(Utc(end), period.End);
        Assert.True(period.Contains(Utc(instant)));
    }

    [Fact]
    public void GetPeriod_AcrossLeapFebruary_LastTickAndFirstTick()
    {
        var zone = BillingCalendar.FindTimeZone("America/New_York");
        var boundary = Utc("2028-03-01T05:00:00Z");

        var before = BillingCalendar.GetPeriod(boundary.AddTicks(-1), zone);
        var after = BillingCalendar.GetPeriod(boundary, zone);

        Assert.Equal(boundary, before.End);
        Assert.Equal(29, (before.End - before.Start).Days);
        Assert.Equal(boundary, after.Start);
    }

    [Fact]
    public void GetPeriod_WhenMidnightOnTheFirstIsSkippedByDst_StartsWhenTheDayStarts()
    {
        // Santiago springs forward at 00:00 on the first Sunday of September: 2024-09-01 00:00 does not exist.
        var zone = BillingCalendar.FindTimeZone("America/Santiago");

        var period = BillingCalendar.GetPeriod(Utc("2024-09-15T12:00:00Z"), zone);

        // The day starts at 01:00 -03 = 04:00Z, the instant the clock jumped.
        Assert.Equal(Utc("2024-09-01T04:00:00Z"), period.Start);
        Assert.Equal(Utc("2024-10-01T03:00:00Z"), period.End);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("not a zone")]
    public void FindTimeZone_WithAnUnknownId_SaysWhatToUse(string id)
    {
        var ex = Assert.Throws<ArgumentException>(() => BillingCalendar.FindTimeZone(id));

        Assert.Contains("IANA", ex.Message);
    }

    [Fact]
    public void GetPeriod_WhereDaylightSavingStartsAtMidnightOnThe1st_StartsTheMonthWhenTheGapEnds()
    {
        // America/Asuncion, 1 October 2023: 00:00 local (-04:00) never happened, the clock went to 01:00 (-03:00).
        var zone = BillingCalendar.FindTimeZone("America/Asuncion");
        var october = BillingCalendar.GetPeriod(Utc("2023-10-01T04:00:00Z"), zone);
        Assert.Equal(Utc("2023-10-01T04:00:00Z"), october.Start);
        Assert.Equal(Utc("2023-09-01T04:00:00Z"), BillingCalendar.GetPeriod(Utc("2023-10-01T03:59:59.9999999Z"), zone).Start);
        Assert.Equal(october.Start, BillingCalendar.GetPeriod(Utc("2023-09-30T12:00:00Z"), zone).End);
    }

    [Theory]
    [InlineData("America/Asuncion")]
    [InlineData("America/Santiago")]
    [InlineData("America/Havana")]
    [InlineData("Asia/Beirut")]
    [InlineData("America/New_York")]
    [InlineData("Pacific/Auckland")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Asia/Kolkata")]
    public void GetPeriod_AlwaysContainsItsInstant_AndPeriodsTileTheTimeline(string zoneId)
    {
        var zone = BillingCalendar.FindTimeZone(zoneId);
        for (var month = Utc("2015-01-01T00:00:00Z"); month < Utc("2030-01-01T00:00:00Z"); month = month.AddMonths(1))
        {
            // Every quarter hour of the two days around each UTC month start, where local month starts fall.
            for (var instant = month.AddHours(-26); instant < month.AddHours(26); instant = instant.AddMinutes(15))
            {
                var period = BillingCalendar.GetPeriod(instant, zone);
                Assert.True(period.Contains(instant), $"{zoneId}: {instant:O} is outside {period.Start:O}..{period.End:O}");
                Assert.Equal(1, TimeZoneInfo.ConvertTime(period.Start, zone).Day);
                Assert.Equal(period.End, BillingCalendar.GetPeriod(period.End, zone).Start);
            }
        }
    }
}
