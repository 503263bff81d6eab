namespace Versana.Sdk;

/// <summary>
/// A billing period: the calendar month in the workspace's time zone.
/// </summary>
/// <param name="Start">The instant the period starts (00:00 local time on the 1st).</param>
/// <param name="End">The instant the next period starts, when the allocation refreshes.</param>
public readonly record struct BillingPeriod(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Gets a value indicating whether <paramref name="instant"/> falls inside the period.</summary>
    /// <param name="instant">The instant to test.</param>
    /// <returns><see langword="true"/> when <see cref="Start"/> ≤ <paramref name="instant"/> &lt; <see cref="End"/>.</returns>
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;
}
