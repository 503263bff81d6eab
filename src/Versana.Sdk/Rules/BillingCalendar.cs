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
    /// <returns>The period.</returns>
    public static BillingPeriod GetPeriod(DateTimeOffset instant, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        var local = TimeZoneInfo.ConvertTime(instant, timeZone);
        var first = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var start = ToInstant(first, timeZone);

        // A zone whose DST gap swallows midnight on the 1st can map the local month start after the
        // instant (the instant is in the gap-shifted first hour); the period still starts at the gap.
        if (start > instant)
        {
            first = first.AddMonths(-1);
            start = ToInstant(first, timeZone);
        }

        var end = ToInstant(first.AddMonths(1), timeZone);
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

    /// <summary>Gets the instant local midnight starts <paramref name="date"/> in <paramref name="timeZone"/>.</summary>
    /// <param name="date">The local date.</param>
    /// <param name="timeZone">The time zone.</param>
    /// <returns>The first instant of that local day.</returns>
    public static DateTimeOffset GetStartOfDay(DateOnly date, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        return ToInstant(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), timeZone);
    }

    /// <summary>Maps a local wall-clock time to the instant it first occurs.</summary>
    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo timeZone)
    {
        if (timeZone.IsInvalidTime(local))
        {
            // The wall clock skips this time (spring forward): the day starts at the end of the gap,
            // which is the same instant as the skipped time read with the offset in force before it.
            var before = timeZone.GetUtcOffset(local.AddHours(-3));
            return new DateTimeOffset(local - before, TimeSpan.Zero);
        }

        if (timeZone.IsAmbiguousTime(local))
        {
            // The wall clock shows this time twice (fall back): the first occurrence has the larger offset.
            var offsets = timeZone.GetAmbiguousTimeOffsets(local);
            var largest = offsets.Max();
            return new DateTimeOffset(local, largest).ToUniversalTime();
        }

        return new DateTimeOffset(local, timeZone.GetUtcOffset(local)).ToUniversalTime();
    }
}
