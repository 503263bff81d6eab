using System.Text.Json;
using Npgsql;
using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.PostgreSql;

/// <content>One locked workspace inside the writer's current transaction.</content>
internal sealed partial class PostgresCreditStore
{
    private sealed class WorkspaceSession(PostgresCreditStore store, WorkspaceAccount? account, bool exists) : ILedgerSession
    {
        public WorkspaceAccount? Account { get; private set; } = account;

        /// <summary>Gets a value indicating whether the workspace's row existed when it was locked.</summary>
        public bool Exists { get; } = exists;

        public bool Dirty { get; private set; }

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

            if (store._pendingCompleted.TryGetValue((Account.Id, reservationId), out var completedNow))
            {
                return Reservation.FromSnapshot(completedNow);
            }

            using var command = new NpgsqlCommand($"SELECT data FROM {store._schema}.reservations WHERE workspace_id = $1 AND id = $2;", store._connection, store._transaction);
            command.Parameters.Add(new() { Value = Account.Id });
            command.Parameters.Add(new() { Value = reservationId });
            return command.ExecuteScalar() is string json
                ? Reservation.FromSnapshot(JsonSerializer.Deserialize(json, StorageJsonContext.Default.ReservationSnapshot)!)
                : null;
        }

        public Reservation? FindReservationByKey(string idempotencyKey) => Reservation.FindByKey(idempotencyKey, FindReservation);

        public void Append(LedgerEntry entry)
        {
            if (entry.Kind is LedgerEntryKind.Committed or LedgerEntryKind.Released or LedgerEntryKind.ReservationExpired)
            {
                // Open reservations live in the workspace row; a completed one moves to its own row.
                store._pendingCompleted[(entry.WorkspaceId, entry.ReservationId!)] = Account!.Open[entry.ReservationId!].CompletedBy(entry);
            }

            Account ??= new WorkspaceAccount();
            Account.Apply(entry);
            store._pendingEntries.Add(entry);
            Dirty = true;
        }

        public IReadOnlyList<LedgerEntry> ReadAllEntries()
        {
            var entries = new List<LedgerEntry>();
            var id = Account?.Id ?? string.Empty;
            using (var command = new NpgsqlCommand($"SELECT data FROM {store._schema}.entries WHERE workspace_id = $1 ORDER BY seq;", store._connection, store._transaction))
            {
                command.Parameters.Add(new() { Value = id });
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    entries.Add(DeserializeEntry(reader.GetString(0)));
                }
            }

            entries.AddRange(store._pendingEntries.Where(e => string.Equals(e.WorkspaceId, id, StringComparison.Ordinal)));
            return entries;
        }
    }
}
