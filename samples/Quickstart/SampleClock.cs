namespace Quickstart;

/// <summary>A clock the sample moves by hand, to show a month end without waiting for one.</summary>
internal sealed class SampleClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now;
}
