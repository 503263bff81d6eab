using Versana.Sdk.Rules;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>One workspace's state inside a store's critical section (a lock, or a write transaction).</summary>
internal interface ILedgerSession
{
    /// <summary>Gets the account, or <see langword="null"/> when the workspace does not exist.</summary>
    AccountState? Account { get; }

    /// <summary>Finds a reservation by id, open or completed.</summary>
    ReservationState? FindReservation(string reservationId);

    /// <summary>Finds the open reservations whose TTL has passed by <paramref name="now"/> (an index on expiry, not a scan of every open one).</summary>
    IReadOnlyList<ReservationState> FindExpired(DateTimeOffset now);

    /// <summary>
    /// Records a decision: appends <paramref name="entries"/> to the audit trail, applies them to the reservations
    /// they concern (<see cref="CreditRules.ApplyToReservation"/>) and to the daily usage rollup
    /// (<see cref="UsageRollup.RowOf"/>), and keeps <paramref name="account"/> as the state.
    /// </summary>
    void Save(AccountState account, IReadOnlyList<LedgerEntry> entries);

    /// <summary>Reads every entry of the workspace, in order (for replay).</summary>
    IReadOnlyList<LedgerEntry> ReadAllEntries();

    /// <summary>Reads the workspace's open reservations (for verification).</summary>
    IReadOnlyList<ReservationState> ReadOpenReservations();
}
