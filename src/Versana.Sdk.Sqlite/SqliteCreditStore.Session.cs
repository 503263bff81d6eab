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
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadReservation(reader) : null;
        }

        public Reservation? FindReservationByKey(string idempotencyKey)
        {
            if (Account is null)
            {
                return null;
            }

            var command = store._commands.SelectReservationIdByKey;
            command.Parameters["$w"].Value = Account.Id;
            command.Parameters["$key"].Value = idempotencyKey;
            return command.ExecuteScalar() is string id ? FindReservation(id) : null;
        }

        public void Append(LedgerEntry entry)
        {
            try
            {
                Write(entry);
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
            insert.Parameters["$data"].Value = JsonSerializer.Serialize(entry, SqliteJsonContext.Default.LedgerEntry);
            insert.ExecuteNonQuery();

            switch (entry.Kind)
            {
                case LedgerEntryKind.Reserved:
                    var reserve = commands.InsertReservation;
                    reserve.Parameters["$w"].Value = entry.WorkspaceId;
                    reserve.Parameters["$id"].Value = entry.ReservationId;
                    reserve.Parameters["$key"].Value = entry.IdempotencyKey;
                    reserve.Parameters["$feature"].Value = entry.Feature!.Value.Name;
                    reserve.Parameters["$credits"].Value = entry.Credits;
                    reserve.Parameters["$parts"].Value = JsonSerializer.Serialize(entry.Parts?.ToArray() ?? [], SqliteJsonContext.Default.CreditPartArray);
                    reserve.Parameters["$period"].Value = entry.PeriodStart!.Value.UtcTicks;
                    reserve.Parameters["$created"].Value = entry.At.UtcTicks;
                    reserve.Parameters["$expires"].Value = entry.ExpiresAt!.Value.UtcTicks;
                    reserve.Parameters["$actor"].Value = (object?)entry.Actor ?? DBNull.Value;
                    reserve.ExecuteNonQuery();
                    break;

                case LedgerEntryKind.Committed or LedgerEntryKind.Released or LedgerEntryKind.ReservationExpired:
                    var complete = commands.CompleteReservation;
                    complete.Parameters["$w"].Value = entry.WorkspaceId;
                    complete.Parameters["$id"].Value = entry.ReservationId;
                    complete.Parameters["$status"].Value = (int)(entry.Kind switch
                    {
                        LedgerEntryKind.Committed => ReservationStatus.Committed,
                        LedgerEntryKind.Released => ReservationStatus.Released,
                        _ => ReservationStatus.Expired,
                    });
                    complete.Parameters["$committed"].Value = entry.Kind == LedgerEntryKind.Committed ? entry.Credits : DBNull.Value;
                    complete.Parameters["$completed"].Value = entry.At.UtcTicks;
                    complete.ExecuteNonQuery();
                    break;
            }
        }
    }
}
