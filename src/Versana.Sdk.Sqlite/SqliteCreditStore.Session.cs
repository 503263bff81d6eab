using System.Text.Json;
using Microsoft.Data.Sqlite;
using Versana.Sdk.Ledger.Storage;
using Versana.Sdk.Rules;

namespace Versana.Sdk.Sqlite;

/// <content>One workspace inside the writer's current transaction.</content>
internal sealed partial class SqliteCreditStore
{
    private sealed class WorkspaceSession(SqliteCreditStore store, AccountState? account) : ILedgerSession
    {
        public AccountState? Account { get; private set; } = account;

        public long Batch { get; set; }

        public bool Dirty { get; set; }

        private string Id => Account?.Id ?? string.Empty;

        public ReservationState? FindReservation(string reservationId)
        {
            var command = store._commands.SelectReservation;
            command.Parameters["$w"].Value = Id;
            command.Parameters["$id"].Value = reservationId;
            return command.ExecuteScalar() is string json ? DeserializeReservation(json) : null;
        }

        public IReadOnlyList<ReservationState> FindExpired(DateTimeOffset now)
        {
            var command = store._commands.SelectExpired;
            command.Parameters["$w"].Value = Id;
            command.Parameters["$now"].Value = now.UtcTicks;
            return ReadReservations(command);
        }

        public IReadOnlyList<ReservationState> ReadOpenReservations()
        {
            var command = store._commands.SelectOpen;
            command.Parameters["$w"].Value = Id;
            return ReadReservations(command);
        }

        public void Save(AccountState account, IReadOnlyList<LedgerEntry> entries)
        {
            try
            {
                foreach (var entry in entries)
                {
                    Write(account, entry);
                }
            }
            catch (SqliteException ex)
            {
                // The batch is broken: the writer rolls all of it back and forgets the in-memory state.
                store._storageFailure = ex;
                throw;
            }

            Account = account;
            Dirty = true;
        }

        public IReadOnlyList<LedgerEntry> ReadAllEntries()
        {
            var entries = new List<LedgerEntry>();
            var command = store._commands.SelectAllEntries;
            command.Parameters["$w"].Value = Id;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(DeserializeEntry(reader.GetString(0)));
            }

            return entries;
        }

        private static List<ReservationState> ReadReservations(SqliteCommand command)
        {
            var reservations = new List<ReservationState>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                reservations.Add(DeserializeReservation(reader.GetString(0)));
            }

            return reservations;
        }

        private void Write(AccountState account, LedgerEntry entry)
        {
            var commands = store._commands;
            var insert = commands.InsertEntry;
            insert.Parameters["$w"].Value = entry.WorkspaceId;
            insert.Parameters["$seq"].Value = entry.Sequence;
            insert.Parameters["$at"].Value = entry.At.UtcTicks;
            insert.Parameters["$kind"].Value = (int)entry.Kind;
            insert.Parameters["$data"].Value = JsonSerializer.Serialize(entry, StorageJsonContext.Default.LedgerEntry);
            insert.ExecuteNonQuery();

            if (UsageRollup.RowOf(account, entry) is { } day)
            {
                var upsert = commands.UpsertUsage;
                upsert.Parameters.Clear();
                SqliteSchema.AddUsageParameters(upsert, entry.WorkspaceId, day);
                upsert.ExecuteNonQuery();
            }

            if (CreditRules.ConcernsReservation(entry))
            {
                var before = entry.Kind == LedgerEntryKind.Reserved ? null : FindReservation(entry.ReservationId!);
                var reservation = CreditRules.ApplyToReservation(before, entry)!;
                var upsert = commands.UpsertReservation;
                upsert.Parameters["$w"].Value = entry.WorkspaceId;
                upsert.Parameters["$id"].Value = reservation.Id;
                upsert.Parameters["$status"].Value = (int)reservation.Status;
                upsert.Parameters["$expires"].Value = reservation.ExpiresAt.UtcTicks;
                upsert.Parameters["$data"].Value = JsonSerializer.Serialize(reservation, StorageJsonContext.Default.ReservationState);
                upsert.ExecuteNonQuery();
            }
        }
    }
}
