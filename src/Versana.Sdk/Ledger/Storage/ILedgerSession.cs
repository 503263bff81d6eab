namespace Versana.Sdk.Ledger.Storage;

/// <summary>One workspace's state inside a store's critical section.</summary>
internal interface ILedgerSession
{
    /// <summary>Gets the account, or <see langword="null"/> when the workspace does not exist.</summary>
    WorkspaceAccount? Account { get; }

    /// <summary>Finds a reservation by id, open or completed.</summary>
    Reservation? FindReservation(string reservationId);

    /// <summary>Finds a reservation by the idempotency key it was made with.</summary>
    Reservation? FindReservationByKey(string idempotencyKey);

    /// <summary>Applies an entry to the account and records it for persistence.</summary>
    void Append(in LedgerEntryValue entry);

    /// <summary>
    /// Takes the lease's durably written charges not settled yet, removing them in the same transaction
    /// (so each is charged exactly once). With <paramref name="closing"/>, the lease is closed first, so no
    /// further charge can be written to it. Stores without lease mode have no charges.
    /// </summary>
    IReadOnlyList<LeaseCharge> SettleLeaseCharges(string leaseId, bool closing) => [];

    /// <summary>Reads every entry of the workspace, in order (for replay).</summary>
    IReadOnlyList<LedgerEntry> ReadAllEntries();
}
