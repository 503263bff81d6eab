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

        /// <summary>Gets the completed reservations fetched for this batch up front (null: not completed when the row was locked).</summary>
        public Dictionary<string, ReservationSnapshot?> Prefetched { get; } = new(StringComparer.Ordinal);

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

            if (Prefetched.TryGetValue(reservationId, out var prefetched))
            {
                return prefetched is null ? null : Reservation.FromSnapshot(prefetched);
            }

            using var command = new NpgsqlCommand($"SELECT data FROM {store._schema}.reservations WHERE workspace_id = $1 AND id = $2;", store._connection, store._transaction);
            command.Parameters.Add(new() { Value = Account.Id });
            command.Parameters.Add(new() { Value = reservationId });
            return command.ExecuteScalar() is string json
                ? Reservation.FromSnapshot(JsonSerializer.Deserialize(json, StorageJsonContext.Default.ReservationSnapshot)!)
                : null;
        }

        public Reservation? FindReservationByKey(string idempotencyKey) => Reservation.FindByKey(idempotencyKey, FindReservation);

        public void Append(in LedgerEntryValue value)
        {
            var entry = value.ToEntry();
            if (entry is { Kind: LedgerEntryKind.Committed, LeaseId: not null })
            {
                // A charge settled from a lease: kept like any completed reservation, for retries from any process.
                // Its process wrote that row with the charge, unless the charge is from an older version.
                if (!store._storedWithCharge.Contains(entry.ReservationId!))
                {
                    store._pendingCompleted[(entry.WorkspaceId, entry.ReservationId!)] = new ReservationSnapshot(
                        entry.ReservationId!,
                        entry.IdempotencyKey!,
                        entry.Feature!.Value,
                        entry.Credits,
                        [.. entry.Parts ?? []],
                        entry.PeriodStart!.Value,
                        entry.At,
                        entry.ExpiresAt ?? entry.At,
                        entry.Actor,
                        ReservationStatus.Committed,
                        entry.Credits,
                        entry.At);
                }
            }
            else if (entry.Kind == LedgerEntryKind.LeaseTaken && !Account!.Leases.ContainsKey(entry.LeaseId!))
            {
                // Written at once, not with the batch: the lease may be closed later in this same transaction.
                Execute($"INSERT INTO {store._schema}.leases (id, workspace_id) VALUES ($1, $2);", entry.LeaseId!, entry.WorkspaceId);
            }
            else if (entry.Kind is LedgerEntryKind.Committed or LedgerEntryKind.Released or LedgerEntryKind.ReservationExpired)
            {
                // Open reservations live in the workspace row; a completed one moves to its own row.
                store._pendingCompleted[(entry.WorkspaceId, entry.ReservationId!)] = Account!.Open[entry.ReservationId!].CompletedBy(entry);
            }

            Account ??= new WorkspaceAccount();
            Account.Apply(value);
            store._pendingEntries.Add(entry);
            Dirty = true;
        }

        public IReadOnlyList<LeaseCharge> SettleLeaseCharges(string leaseId, bool closing)
        {
            var charges = new List<LeaseCharge>();
            if (closing)
            {
                // The lease row goes first: a charge being written holds it FOR KEY SHARE, so this waits for that
                // charge to commit (and then sees it below); a charge written after this finds no lease and fails.
                Execute($"DELETE FROM {store._schema}.leases WHERE id = $1;", leaseId);
            }

            // A settled charge is deleted: its completed reservation, written with it and naming the lease, is what
            // keeps a retried write of it from landing again (LeaseChargeWriter). Rows an older version kept
            // marked settled come back without their data and are only dropped.
            ReadCharges($"DELETE FROM {store._schema}.lease_charges WHERE lease_id = $1 RETURNING CASE WHEN settled THEN NULL ELSE data END, settled;", leaseId, charges);
            return charges;
        }

        private void ReadCharges(string sql, string leaseId, List<LeaseCharge> charges)
        {
            using var command = new NpgsqlCommand(sql, store._connection, store._transaction);
            command.Parameters.Add(new() { Value = leaseId });
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (!reader.GetBoolean(1))
                {
                    var charge = JsonSerializer.Deserialize(reader.GetString(0), StorageJsonContext.Default.LeaseCharge)!;
                    if (charge.ReservationStored)
                    {
                        store._storedWithCharge.Add(charge.ReservationId);
                    }

                    charges.Add(charge);
                }
            }
        }

        private void Execute(string sql, params object[] values)
        {
            using var command = new NpgsqlCommand(sql, store._connection, store._transaction);
            foreach (var value in values)
            {
                command.Parameters.Add(new() { Value = value });
            }

            command.ExecuteNonQuery();
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
