namespace Versana.Sdk.AspNetCore;

/// <summary>When the pool runs out at the recent burn rate.</summary>
/// <param name="BurnPerDay">Credits spent per day over the recent window.</param>
/// <param name="RunsOutOn">The day (in the workspace's zone) the available credits run out, or <see langword="null"/> when they last the period.</param>
/// <param name="LastsThePeriod">Whether the available credits last until the refresh.</param>
public sealed record UsageForecast(double BurnPerDay, DateOnly? RunsOutOn, bool LastsThePeriod)
{
    /// <summary>The days of usage the burn rate looks back on.</summary>
    public const int WindowDays = 7;

    /// <summary>Forecasts from the daily usage of the period so far.</summary>
    /// <param name="available">The credits available now.</param>
    /// <param name="usage">The usage of the period up to today.</param>
    /// <param name="today">Today, in the workspace's time zone.</param>
    /// <param name="lastDayOfPeriod">The period's last day, before the refresh.</param>
    /// <returns>The forecast.</returns>
    public static UsageForecast Compute(long available, UsageReport usage, DateOnly today, DateOnly lastDayOfPeriod)
    {
        ArgumentNullException.ThrowIfNull(usage);

        // Today counts as a whole day: a rate that ignored today's spending would forecast too late.
        var first = today.AddDays(-(WindowDays - 1));
        if (first < usage.From)
        {
            first = usage.From;
        }

        var days = today.DayNumber - first.DayNumber + 1;
        var spent = usage.ByDay.Where(d => d.Date >= first && d.Date <= today).Sum(d => d.Credits);
        var burn = days > 0 ? (double)spent / days : 0;
        if (available <= 0)
        {
            return new UsageForecast(burn, today, false);
        }

        if (burn <= 0)
        {
            return new UsageForecast(0, null, true);
        }

        var runsOut = today.AddDays((int)Math.Min(Math.Floor(available / burn), 3650));
        return runsOut > lastDayOfPeriod ? new UsageForecast(burn, null, true) : new UsageForecast(burn, runsOut, false);
    }
}
