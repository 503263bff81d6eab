using System.Text.Json;
using Microsoft.Data.Sqlite;
using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.Sqlite;

/// <content>One workspace inside the writer's current transaction.</content>
internal sealed partial class SqliteCreditStore
{
    private sealed class WorkspaceSession(SqliteCreditStore store, WorkspaceAccount? account) : ILedgerSession
    {
        public WorkspaceAccount? Account { get; private set; } = account;

        public long Batch { get; set; }

        public bool Dirty { get; set; }

        public Reservation? FindReservation(string reservationId)
        {
            if (Account is null)
            {
                return null;
            }

            if (Account.Open.TryGetValue(reservationId, out var open))
            {
                return open;
            }

            var command = store._commands.SelectReservation;
            command.Parameters["$w"].Value = Account.Id;
            command.Parameters["$id"].Value = reservationId;
            return command.ExecuteScalar() is string json
                ? Reservation.FromSnapshot(JsonSerializer.Deserialize(json, StorageJsonContext.Default.ReservationSnapshot)!)
                : null;
        }

        public Reservation? FindReservationByKey(string idempotencyKey) => Reservation.FindByKey(idempotencyKey, FindReservation);

        public void Append(in LedgerEntryValue entry)
        {
            try
            {
                Write(entry.ToEntry());
            }
            catch (SqliteException ex)
            {
                // The batch is broken: the writer rolls all of it back and forgets the in-memory state.
                store._storageFailure = ex;
                throw;
            }

            Account ??= new WorkspaceAccount();
            Account.Apply(entry);
            Dirty = true;
        }

        public IReadOnlyList<LedgerEntry> ReadAllEntries()
        {
            var entries = new List<LedgerEntry>();
            var command = store._commands.SelectAllEntries;
            command.Parameters["$w"].Value = Account?.Id ?? string.Empty;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(DeserializeEntry(reader.GetString(0)));
            }

            return entries;
        }

        private void Write(LedgerEntry entry)
        {
            var commands = store._commands;
            var insert = commands.InsertEntry;
            insert.Parameters["$w"].Value = entry.WorkspaceId;
            insert.Parameters["$seq"].Value = entry.Sequence;
            insert.Parameters["$at"].Value = entry.At.UtcTicks;
            insert.Parameters["$kind"].Value = (int)entry.Kind;
            insert.Parameters["$data"].Value = JsonSerializer.Serialize(entry, StorageJsonContext.Default.LedgerEntry);
            insert.ExecuteNonQuery();

            if (entry.Kind is LedgerEntryKind.Committed or LedgerEntryKind.Released or LedgerEntryKind.ReservationExpired)
            {
                // Open reservations live in the workspace row; a completed one moves to its own row.
                var completed = Account!.Open[entry.ReservationId!].CompletedBy(entry);
                var insertReservation = commands.InsertReservation;
                insertReservation.Parameters["$w"].Value = entry.WorkspaceId;
                insertReservation.Parameters["$id"].Value = completed.Id;
                insertReservation.Parameters["$data"].Value = JsonSerializer.Serialize(completed, StorageJsonContext.Default.ReservationSnapshot);
                insertReservation.ExecuteNonQuery();
            }
        }
    }
}
