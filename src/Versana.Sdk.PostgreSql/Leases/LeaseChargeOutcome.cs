namespace Versana.Sdk.PostgreSql.Leases;

/// <summary>What became of a lease charge sent to <see cref="LeaseChargeWriter"/>.</summary>
internal enum LeaseChargeOutcome
{
    /// <summary>The charge and its completed reservation are durable (now, or by an earlier try of the same write).</summary>
    Written,

    /// <summary>Its lease is no longer open: nothing was written.</summary>
    LeaseClosed,

    /// <summary>
    /// Nothing was written: another lease or the shared ledger already committed a reservation with this id (the key
    /// was used there first). That one is the key's reservation, and its charge the key's only one.
    /// </summary>
    KeyTaken,
}
