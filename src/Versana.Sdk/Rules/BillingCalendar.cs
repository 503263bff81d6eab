using System.Collections.Concurrent;

namespace Versana.Sdk;

/// <summary>
/// Billing period arithmetic: periods are calendar months in the workspace's IANA time zone and
/// refresh at 00:00 local time on the 1st. Everything is a function of the clock, so no job has
/// to run for a refresh to happen.
/// </summary>
public static class BillingCalendar
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> s_zones = new(StringComparer.Ordinal);

    /// <summary>Resolves an IANA time zone id.</summary>
    /// <param name="timeZoneId">An IANA id such as <c>UTC</c>, <c>America/New_York</c> or <c>Pacific/Auckland</c>.</param>
    /// <returns>The time zone.</returns>
    /// <exception cref="ArgumentException">The id is empty or not a known time zone.</exception>
    public static TimeZoneInfo FindTimeZone(string timeZoneId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZoneId);
        if (s_zones.TryGetValue(timeZoneId, out var zone))
        {
            return zone;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException(
                $"'{timeZoneId}' is not a known IANA time zone id. Use an id such as 'UTC', 'Europe/Paris' or 'America/New_York'.",
                nameof(timeZoneId),
                ex);
        }

        return s_zones.GetOrAdd(timeZoneId, zone);
    }

    /// <summary>Gets the billing period that contains <paramref name="instant"/>.</summary>
    /// <param name="instant">The instant.</param>
    /// <param name="timeZone">The workspace's time zone.</param>
    /// <returns>The period: it always contains <paramref name="instant"/>, whatever the zone's transitions.</returns>
    public static BillingPeriod GetPeriod(DateTimeOffset instant, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        var local = TimeZoneInfo.ConvertTime(instant, timeZone);
        var first = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var start = StartOf(first, timeZone);

        // The local month of an instant is not always its period: in a zone that falls back across midnight on
        // the 1st, the repeated hour reads as the old month but comes after the new month began.
        while (instant < start)
        {
            first = first.AddMonths(-1);
            start = StartOf(first, timeZone);
        }

        var end = StartOf(first.AddMonths(1), timeZone);
        while (instant >= end)
        {
            first = first.AddMonths(1);
            start = end;
            end = StartOf(first.AddMonths(1), timeZone);
        }

        return new BillingPeriod(start, end);
    }

    /// <summary>Gets the local calendar date of <paramref name="instant"/> in <paramref name="timeZone"/>.</summary>
    /// <param name="instant">The instant.</param>
    /// <param name="timeZone">The time zone.</param>
    /// <returns>The local date.</returns>
    public static DateOnly GetLocalDate(DateTimeOffset instant, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, timeZone).DateTime);
    }

    /// <summary>Gets the first instant of the local day <paramref name="date"/> in <paramref name="timeZone"/>.</summary>
    /// <param name="date">The local date.</param>
    /// <param name="timeZone">The time zone.</param>
    /// <returns>The first instant of that local day.</returns>
    public static DateTimeOffset GetStartOfDay(DateOnly date, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        return StartOf(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), timeZone);
    }

    /// <summary>
    /// The first instant at which the wall clock shows <paramref name="midnight"/>, or, where a transition skips it,
    /// the first instant after it. Worked out from the offsets in force, not from the zone's rule flags, which
    /// some zones' data (a transition at midnight written as a change of base offset) leave unset.
    /// </summary>
    private static DateTimeOffset StartOf(DateTime midnight, TimeZoneInfo timeZone)
    {
        var wall = new DateTimeOffset(midnight, TimeSpan.Zero);
        DateTimeOffset? first = null;
        for (var hours = -15; hours <= 15; hours++)
        {
            // Midnight under each offset in force within a day of it: real when the zone has that offset then.
            var offset = timeZone.GetUtcOffset(wall.AddHours(hours));
            var candidate = wall - offset;
            if (timeZone.GetUtcOffset(candidate) == offset && (first is null || candidate < first))
            {
                first = candidate;
            }
        }

        if (first is { } start)
        {
            return start.ToUniversalTime();
        }

        // Midnight falls in a gap: the day starts where the gap ends, the first instant whose wall clock is past it.
        var (before, after) = (wall.AddHours(-15), wall.AddHours(15));
        while (after.UtcTicks - before.UtcTicks > 1)
        {
            var middle = before.AddTicks((after.UtcTicks - before.UtcTicks) / 2);
            if (TimeZoneInfo.ConvertTime(middle, timeZone).DateTime >= midnight)
            {
                after = middle;
            }
            else
            {
                before = middle;
            }
        }

        return after.ToUniversalTime();
    }
}
