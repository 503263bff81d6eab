namespace Versana.Sdk;

/// <summary>How <see cref="RemoteCreditLedger"/> reaches the Versana credits service, and what it does when it cannot.</summary>
public sealed class RemoteLedgerOptions
{
    /// <summary>Gets or sets the service's base address, such as <c>https://credits.example.com/</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the workspace API key (or the admin key, to create workspaces).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets what happens when the service cannot be reached. Default: fail closed.</summary>
    public LedgerUnavailableBehavior WhenUnavailable { get; set; } = LedgerUnavailableBehavior.FailClosed;

    /// <summary>
    /// Gets or sets the credits a month per workspace this process may grant on its own while the service is
    /// unreachable, when <see cref="WhenUnavailable"/> is <see cref="LedgerUnavailableBehavior.FailOpen"/>. What is
    /// committed is charged to the service when it is back; the allowance comes back only at the month's refresh,
    /// so it bounds what the process can give away however many outages there are. Default 50.
    /// </summary>
    public long FailOpenAllowance { get; set; } = 50;

    /// <summary>Gets or sets how long one attempt may take. Default 2 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gets or sets how many times a failed call is retried (with jittered backoff). Safe for every call:
    /// each mutating call carries its idempotency key or reservation id. Default 4.
    /// </summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>Gets or sets the first retry's delay; later ones back off exponentially, with jitter. Default 100 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets the failure ratio over 30 s above which calls stop for a while (circuit breaker). Default 0.5.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;
}

/// <summary>What <see cref="RemoteCreditLedger"/> does when the credits service cannot be reached.</summary>
public enum LedgerUnavailableBehavior
{
    /// <summary>Refuse: calls throw <see cref="CreditLedgerException"/> with <see cref="CreditLedgerError.LedgerUnavailable"/> (not a pause).</summary>
    FailClosed = 0,

    /// <summary>Grant from a small per-process allowance, reported, and charged to the service when it is back.</summary>
    FailOpen = 1,
}
