using System.Text.Json;
using Npgsql;
using Versana.Sdk.Ledger.Storage;
using Versana.Sdk.Rules;

namespace Versana.Sdk.PostgreSql;

/// <content>One locked workspace inside the writer's current transaction.</content>
internal sealed partial class PostgresCreditStore
{
    private sealed class WorkspaceSession(PostgresCreditStore store, AccountState? account, bool exists) : ILedgerSession
    {
        public AccountState? Account { get; private set; } = account;

        /// <summary>Gets a value indicating whether the workspace's row existed when it was locked.</summary>
        public bool Exists { get; } = exists;

        public bool Dirty { get; private set; }

        /// <summary>Gets the reservations fetched for this batch up front (null: none with that id when the row was locked).</summary>
        public Dictionary<string, ReservationState?> Prefetched { get; } = new(StringComparer.Ordinal);

        private string Id => Account?.Id ?? string.Empty;

        public ReservationState? FindReservation(string reservationId)
        {
            if (store._pendingReservations.TryGetValue((Id, reservationId), out var changed))
            {
                return changed;
            }

            if (Prefetched.TryGetValue(reservationId, out var prefetched))
            {
                return prefetched;
            }

            using var command = new NpgsqlCommand($"SELECT data FROM {store._schema}.reservations WHERE workspace_id = $1 AND id = $2;", store._connection, store._transaction);
            command.Parameters.Add(new() { Value = Id });
            command.Parameters.Add(new() { Value = reservationId });
            return command.ExecuteScalar() is string json ? DeserializeReservation(json) : null;
        }

        public IReadOnlyList<ReservationState> FindExpired(DateTimeOffset now)
            => Held($"SELECT data FROM {store._schema}.reservations WHERE workspace_id = $1 AND status = 1 AND expires_ticks <= $2;", now.UtcTicks)
                .Where(r => r.ExpiresAt <= now)
                .ToList();

        public IReadOnlyList<ReservationState> ReadOpenReservations()
            => Held($"SELECT data FROM {store._schema}.reservations WHERE workspace_id = $1 AND status = 1;", null);

        public void Save(AccountState account, IReadOnlyList<LedgerEntry> entries)
        {
            foreach (var entry in entries.Where(CreditRules.ConcernsReservation))
            {
                var before = entry.Kind == LedgerEntryKind.Reserved ? null : FindReservation(entry.ReservationId!);
                store._pendingReservations[(entry.WorkspaceId, entry.ReservationId!)] = CreditRules.ApplyToReservation(before, entry)!;
            }

            foreach (var entry in entries)
            {
                if (UsageRollup.RowOf(account, entry) is { } day)
                {
                    store._pendingUsage.Add((entry.WorkspaceId, day));
                }
            }

            store._pendingEntries.AddRange(entries);
            Account = account;
            Dirty = true;
        }

        public IReadOnlyList<LedgerEntry> ReadAllEntries()
        {
            var entries = new List<LedgerEntry>();
            using (var command = new NpgsqlCommand($"SELECT data FROM {store._schema}.entries WHERE workspace_id = $1 ORDER BY seq;", store._connection, store._transaction))
            {
                command.Parameters.Add(new() { Value = Id });
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    entries.Add(DeserializeEntry(reader.GetString(0)));
                }
            }

            entries.AddRange(store._pendingEntries.Where(e => string.Equals(e.WorkspaceId, Id, StringComparison.Ordinal)));
            return entries;
        }

        /// <summary>The held reservations a query finds, as this batch left them (its own changes are written at its end).</summary>
        private List<ReservationState> Held(string sql, long? nowTicks)
        {
            var found = new Dictionary<string, ReservationState>(StringComparer.Ordinal);
            using (var command = new NpgsqlCommand(sql, store._connection, store._transaction))
            {
                command.Parameters.Add(new() { Value = Id });
                if (nowTicks is { } ticks)
                {
                    command.Parameters.Add(new() { Value = ticks });
                }

                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var reservation = DeserializeReservation(reader.GetString(0));
                    found[reservation.Id] = reservation;
                }
            }

            foreach (var ((workspace, id), changed) in store._pendingReservations)
            {
                if (string.Equals(workspace, Id, StringComparison.Ordinal))
                {
                    found[id] = changed;
                }
            }

            return [.. found.Values.Where(r => r.Status == ReservationStatus.Held)];
        }
    }
}
