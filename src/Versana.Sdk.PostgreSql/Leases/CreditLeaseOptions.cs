namespace Versana.Sdk.PostgreSql;

/// <summary>
/// Lease mode: each process takes blocks of credits from a workspace's pool and serves reservations from them
/// locally, so one busy workspace is not one hot row. Off by default; see docs/postgres.md for the trade-offs.
/// </summary>
public sealed class CreditLeaseOptions
{
    /// <summary>Gets or sets a value indicating whether lease mode is on. Default <see langword="false"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets the credits a process takes at a time. Default 100.</summary>
    /// <remarks>Larger blocks mean fewer trips to the hot row, and more credits parked where other processes cannot use them.</remarks>
    public long BlockSize { get; set; } = 100;

    /// <summary>
    /// Gets or sets how long a lease lives unless its process renews it: the longest a dead process's parked
    /// credits stay invisible to others. Default: the ledger's reservation TTL plus one minute.
    /// </summary>
    /// <remarks>
    /// A reservation is served from a lease only if it expires at least 5 seconds (room for the processes' clocks
    /// to differ) before the lease does, so this must exceed the reservation TTL by more than that.
    /// </remarks>
    public TimeSpan? Ttl { get; set; }

    /// <summary>Gets or sets how long a lease with nothing held may sit unused before it is given back. Default 5 seconds.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how often a busy lease is settled (its charges become commits in the audit trail, usage and
    /// thresholds) and renewed. Default 1 second.
    /// </summary>
    public TimeSpan SettleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how long a completed lease-served reservation stays known to its process, answering retries of
    /// its reserve, commit or release as the same call. Default 1 minute.
    /// </summary>
    public TimeSpan CompletedRetention { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How much sooner than its lease a lease-served reservation must expire: room for the processes' clocks to differ.</summary>
    internal static TimeSpan ClockAllowance { get; } = TimeSpan.FromSeconds(5);

    internal TimeSpan ResolveTtl(TimeSpan reservationTtl) => Ttl ?? reservationTtl + TimeSpan.FromMinutes(1);

    internal void ThrowIfInvalid(TimeSpan reservationTtl)
    {
        if (BlockSize < 1)
        {
            throw new InvalidOperationException($"CreditLeaseOptions.BlockSize is {BlockSize}; a lease block holds at least 1 credit.");
        }

        if (ResolveTtl(reservationTtl) <= reservationTtl + ClockAllowance)
        {
            throw new InvalidOperationException(
                $"CreditLeaseOptions.Ttl ({Ttl}) must exceed the reservation TTL ({reservationTtl}) by more than {ClockAllowance.TotalSeconds:0} s (room for clocks), or no reservation is ever served from a lease.");
        }

        if (IdleTimeout <= TimeSpan.Zero || SettleInterval <= TimeSpan.Zero || CompletedRetention <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("CreditLeaseOptions.IdleTimeout, SettleInterval and CompletedRetention must be positive.");
        }
    }
}
