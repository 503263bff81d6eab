using System.Runtime.InteropServices;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// One workspace's audit trail and reservations as the in-memory store keeps them: reference-free rows in
/// chunks, keys and actors in a text arena, and a hash index. Entries and completed reservations are
/// rebuilt as objects when read.
/// </summary>
/// <remarks>
/// The in-memory store keeps everything for good (replay reads the whole trail; retries need completed
/// reservations). Kept as objects, each reserve+commit left about a kilobyte in six objects that every
/// young-generation collection had to trace and copy, and that cost more than the ledger's own work.
/// Rows hold no references and live in native chunks (<see cref="ChunkedList{T}"/>), so the collector never copies them. Entries that do not have
/// the shape of a reservation's life (workspace, period, boost, plan, lease entries) are few and kept whole.
/// </remarks>
internal sealed class CompactJournal(string workspaceId) : IDisposable
{
    private const byte WholeEntry = byte.MaxValue;
    private const int PartsMonthlyOnly = -1;
    private const int PartsNull = -2;
    private const int PartsEmpty = -3;

    private readonly ChunkedList<EntryRow> _entries = new();
    private readonly ChunkedList<ReservationRow> _reservations = new();
    private readonly ReservationIndex _byHash = new();
    private readonly TextArena _text = new();
    private readonly List<AiFeature> _features = [];
    private readonly List<Stamp> _periods = [];

    // Whole entries, and parts arrays that are not one monthly share.
    private readonly List<object> _objects = [];

    // Reservations whose id is not the hash of their key (none the ledger makes today) are kept as objects.
    private readonly Dictionary<string, Reservation> _otherById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Reservation> _otherByKey = new(StringComparer.Ordinal);

    [Flags]
    private enum Fields : byte
    {
        None = 0,
        IdempotencyKey = 1,
        Feature = 2,
        Actor = 4,
        PeriodStart = 8,
        ExpiresAt = 16,
        Tokens = 32,
        All = IdempotencyKey | Feature | Actor | PeriodStart | ExpiresAt,
    }

    public int Count => _entries.Count;

    /// <summary>Gets the native memory every in-memory journal's rows hold (see <see cref="ChunkedList{T}"/>).</summary>
    public static long NativeBytes => ChunkedList<EntryRow>.NativeBytes + ChunkedList<ReservationRow>.NativeBytes;

    /// <summary>Frees the rows' native chunks (see <see cref="ChunkedList{T}"/>); the journal cannot be read afterwards.</summary>
    public void Dispose()
    {
        _entries.Dispose();
        _reservations.Dispose();
    }

    private ReservationHashes Hashes => new(_reservations);

    /// <summary>Applies <paramref name="entry"/> to <paramref name="account"/> and records it.</summary>
    public void Apply(WorkspaceAccount account, in LedgerEntryValue entry)
    {
        account.Apply(entry);
        var completes = entry.Kind is LedgerEntryKind.Committed or LedgerEntryKind.Released or LedgerEntryKind.ReservationExpired && entry.LeaseId is null;
        Append(entry, entry.Kind == LedgerEntryKind.Reserved ? account.ReservedLast : null, completes ? account.CompletedLast : null);
    }

    /// <summary>
    /// Records <paramref name="entry"/>, already applied to the account. <paramref name="reserved"/> is the
    /// reservation a <see cref="LedgerEntryKind.Reserved"/> entry opened; <paramref name="completed"/> the one a
    /// commit, release or expiry closed (as the account left it).
    /// </summary>
    private void Append(in LedgerEntryValue entry, Reservation? reserved, Reservation? completed)
    {
        if (reserved is not null)
        {
            if (!TryAppendReserved(entry, reserved))
            {
                _otherById.Add(reserved.Id, reserved);
                _otherByKey.Add(reserved.IdempotencyKey, reserved);
                AppendWhole(entry);
            }

            return;
        }

        // A reservation kept as a row knows its row; one kept whole (its entry was not reservation-shaped) has none,
        // and looking its hash up could only find another reservation's row.
        if (completed is { JournalRecord: >= 0 and var record })
        {
            ref var row = ref _reservations[record];
            row.Status = (byte)completed.Status;
            row.CommittedCredits = completed.CommittedCredits ?? long.MinValue;
            // The account stamps a reservation it completes with the completing entry's time, so that entry's row,
            // appended next whatever its shape, holds the reservation's CompletedAt.
            if (completed.CompletedAt is not { } completedAt || !completedAt.EqualsExact(entry.At))
            {
                throw new InvalidOperationException($"Entry {entry.Sequence} completes reservation '{completed.Id}' at another time than its own.");
            }

            row.CompletedEntry = _entries.Count;
            if (TryAppendCompleted(entry, record))
            {
                return;
            }
        }

        AppendWhole(entry);
    }

    public LedgerEntry Read(int index)
    {
        var row = _entries[index];
        if (row.Kind == WholeEntry)
        {
            return (LedgerEntry)_objects[row.Record];
        }

        var reservation = _reservations[row.Record];
        var fields = (Fields)row.Fields;
        return new LedgerEntry(workspaceId, index + 1L, row.At.ToDateTimeOffset(), (LedgerEntryKind)row.Kind)
        {
            Credits = row.Credits,
            Parts = DecodeParts(row.Parts, row.Credits),
            ReservationId = ReservationIds.Format(reservation.Hash),
            IdempotencyKey = fields.HasFlag(Fields.IdempotencyKey) ? _text.ToString(reservation.Key) : null,
            Feature = fields.HasFlag(Fields.Feature) ? _features[reservation.Feature] : null,
            Actor = fields.HasFlag(Fields.Actor) ? _text.ToString(reservation.Actor) : null,
            PeriodStart = fields.HasFlag(Fields.PeriodStart) ? _periods[reservation.Period].ToDateTimeOffset() : null,
            ExpiresAt = fields.HasFlag(Fields.ExpiresAt) ? reservation.ExpiresAt.ToDateTimeOffset() : null,
            Tokens = fields.HasFlag(Fields.Tokens) ? reservation.Tokens : null,
        };
    }

    public List<LedgerEntry> ReadRange(int start, int count)
    {
        var entries = new List<LedgerEntry>(count);
        for (var i = start; i < start + count; i++)
        {
            entries.Add(Read(i));
        }

        return entries;
    }

    /// <summary>Reads the commits made in [<paramref name="from"/>, <paramref name="to"/>), rebuilding only those.</summary>
    public List<LedgerEntry> ReadCommits(DateTimeOffset from, DateTimeOffset to)
    {
        var commits = new List<LedgerEntry>();
        for (var i = 0; i < _entries.Count; i++)
        {
            ref var row = ref _entries[i];
            if (row.Kind == WholeEntry)
            {
                var entry = (LedgerEntry)_objects[row.Record];
                if (entry.Kind == LedgerEntryKind.Committed && entry.At >= from && entry.At < to)
                {
                    commits.Add(entry);
                }
            }
            else if (row.Kind == (byte)LedgerEntryKind.Committed && row.At.ToDateTimeOffset() is var at && at >= from && at < to)
            {
                commits.Add(Read(i));
            }
        }

        return commits;
    }

    /// <summary>Finds a reservation that is no longer open (open ones live in the account).</summary>
    public Reservation? Find(string reservationId)
        => ReservationIds.TryParse(reservationId, out var hash) && _byHash.Find(hash, Hashes) is var record and >= 0
            ? ToReservation(record)
            : _otherById.GetValueOrDefault(reservationId);

    /// <summary>Finds the reservation made with <paramref name="idempotencyKey"/>; an open one is the account's live object from <paramref name="open"/>.</summary>
    public Reservation? FindByKey(string idempotencyKey, Dictionary<string, Reservation>? open)
    {
        var hash = ReservationIds.Hash(idempotencyKey);
        if (_byHash.Find(hash, Hashes) is var record and >= 0 && _text.Equals(_reservations[record].Key, idempotencyKey))
        {
            return _reservations[record].Status == (byte)ReservationStatus.Held
                ? open?.GetValueOrDefault(ReservationIds.Format(hash))
                : ToReservation(record);
        }

        return _otherByKey.GetValueOrDefault(idempotencyKey);
    }

    private bool TryAppendReserved(in LedgerEntryValue entry, Reservation reserved)
    {
        if (!IsReservationShaped(entry) || entry.Tokens is not null)
        {
            return false;
        }

        // The key was hashed a moment ago (the lookup for a retry), and the id made from it: both are remembered.
        var hash = ReservationIds.Hash(reserved.IdempotencyKey);
        if (!ReservationIds.IsIdOf(reserved.Id, hash) || _byHash.Find(hash, Hashes) >= 0 || !reserved.CreatedAt.EqualsExact(entry.At))
        {
            return false;
        }

        var parts = EncodeParts(reserved.Parts, reserved.Credits);
        var record = _reservations.Add(new ReservationRow
        {
            HashHigh = (ulong)(hash >> 64),
            HashLow = (ulong)hash,
            Key = _text.Add(reserved.IdempotencyKey),
            Actor = _text.Add(reserved.Actor),
            Feature = FeatureIndex(reserved.Feature),
            Credits = reserved.Credits,
            Parts = parts,
            Period = PeriodIndex(Stamp.From(reserved.PeriodStart)),
            ExpiresAt = Stamp.From(reserved.ExpiresAt),

            // The entry row added next; its time is the reservation's CreatedAt.
            ReservedEntry = _entries.Count,
            CompletedEntry = -1,
            Status = (byte)ReservationStatus.Held,
            CommittedCredits = long.MinValue,
        });
        _byHash.Add(hash, record);
        reserved.JournalRecord = record;

        // The account built the reservation from this entry, so the two agree field for field.
        _entries.Add(new EntryRow
        {
            Kind = (byte)LedgerEntryKind.Reserved,
            At = Stamp.From(entry.At),
            Credits = entry.Credits,
            Record = record,
            Parts = ReferenceEquals(entry.Parts, reserved.Parts) ? parts : EncodeParts(entry.Parts, entry.Credits),
            Fields = (byte)Fields.All,
        });
        return true;
    }

    private bool TryAppendCompleted(in LedgerEntryValue entry, int record)
    {
        if (!IsReservationShaped(entry))
        {
            return false;
        }

        // Each reservation field the entry repeats must match the reservation's, so reading it back is exact.
        ref var reservation = ref _reservations[record];
        var fields = Fields.None;
        if (entry.IdempotencyKey is { } key)
        {
            if (!_text.Equals(reservation.Key, key))
            {
                return false;
            }

            fields |= Fields.IdempotencyKey;
        }

        if (entry.Feature is { } feature)
        {
            if (!string.Equals(feature.Name, _features[reservation.Feature].Name, StringComparison.Ordinal))
            {
                return false;
            }

            fields |= Fields.Feature;
        }

        if (entry.Actor is { } actor)
        {
            if (!_text.Equals(reservation.Actor, actor))
            {
                return false;
            }

            fields |= Fields.Actor;
        }

        if (entry.PeriodStart is { } periodStart)
        {
            if (Stamp.From(periodStart) != _periods[reservation.Period])
            {
                return false;
            }

            fields |= Fields.PeriodStart;
        }

        if (entry.ExpiresAt is { } expiresAt)
        {
            if (Stamp.From(expiresAt) != reservation.ExpiresAt)
            {
                return false;
            }

            fields |= Fields.ExpiresAt;
        }

        if (entry.Tokens is { } tokens)
        {
            // A reservation is completed by one entry, so its row keeps that entry's tokens: 8 bytes a reservation
            // instead of 8 in every entry row.
            reservation.Tokens = tokens;
            fields |= Fields.Tokens;
        }

        _entries.Add(new EntryRow
        {
            Kind = (byte)entry.Kind,
            At = Stamp.From(entry.At),
            Credits = entry.Credits,
            Record = record,
            Parts = EncodeParts(entry.Parts, entry.Credits),
            Fields = (byte)fields,
        });
        return true;
    }

    /// <summary>Whether the entry carries nothing but what a reservation's row and an entry row hold.</summary>
    private bool IsReservationShaped(in LedgerEntryValue entry)
        => string.Equals(entry.WorkspaceId, workspaceId, StringComparison.Ordinal)
            && entry.Sequence == _entries.Count + 1L
            && entry.LeaseId is null
            && entry.BoostId is null
            && entry.Plan is null
            && entry.PeriodEnd is null
            && entry.AutomationEnabled is null
            && entry.TimeZoneId is null
            && entry.Costs is null
            && entry.Percent is null;

    private void AppendWhole(in LedgerEntryValue entry)
    {
        _objects.Add(entry.ToEntry());
        _entries.Add(new EntryRow { Kind = WholeEntry, At = Stamp.From(entry.At), Record = _objects.Count - 1 });
    }

    private Reservation ToReservation(int record)
    {
        var row = _reservations[record];
        return new Reservation
        {
            Id = ReservationIds.Format(row.Hash),
            IdempotencyKey = _text.ToString(row.Key)!,
            Feature = _features[row.Feature],
            Credits = row.Credits,
            Parts = DecodeParts(row.Parts, row.Credits) ?? [],
            PeriodStart = _periods[row.Period].ToDateTimeOffset(),
            CreatedAt = _entries[row.ReservedEntry].At.ToDateTimeOffset(),
            ExpiresAt = row.ExpiresAt.ToDateTimeOffset(),
            Actor = _text.ToString(row.Actor),
            Status = (ReservationStatus)row.Status,
            CommittedCredits = row.CommittedCredits == long.MinValue ? null : row.CommittedCredits,
            CompletedAt = row.CompletedEntry < 0 ? null : _entries[row.CompletedEntry].At.ToDateTimeOffset(),
            JournalRecord = record,
        };
    }

    private int PeriodIndex(Stamp periodStart)
    {
        // A workspace has one period a month, and reservations arrive in the current one: look from the newest.
        for (var i = _periods.Count - 1; i >= 0; i--)
        {
            if (_periods[i] == periodStart)
            {
                return i;
            }
        }

        _periods.Add(periodStart);
        return _periods.Count - 1;
    }

    private int FeatureIndex(AiFeature feature)
    {
        // Features compare ignoring case; the row must give back the exact name recorded.
        for (var i = 0; i < _features.Count; i++)
        {
            if (string.Equals(_features[i].Name, feature.Name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        _features.Add(feature);
        return _features.Count - 1;
    }

    private int EncodeParts(IReadOnlyList<CreditPart>? parts, long credits)
    {
        switch (parts)
        {
            case null:
                return PartsNull;
            case { Count: 0 }:
                return PartsEmpty;
            case [var only] when only.Credits == credits && string.Equals(only.Bucket, CreditPart.MonthlyBucket, StringComparison.Ordinal):
                return PartsMonthlyOnly;
            default:
                _objects.Add(parts as CreditPart[] ?? [.. parts]);
                return _objects.Count - 1;
        }
    }

    private CreditPart[]? DecodeParts(int parts, long credits) => parts switch
    {
        PartsNull => null,
        PartsEmpty => [],
        PartsMonthlyOnly => [new CreditPart(CreditPart.MonthlyBucket, credits)],
        _ => (CreditPart[])_objects[parts],
    };

    // Rows are laid out in field order (sequential, as C# structs are): the widest fields first, so nothing is padded
    // but the end (48 -> 32 bytes an entry row, 112 -> 96 a reservation row).
    private struct EntryRow
    {
        public long Credits;

        /// <summary>The reservation row, or for a whole entry its index in the object list.</summary>
        public int Record;
        public int Parts;
        public Stamp At;
        public byte Kind;
        public byte Fields;
    }

    /// <summary>The rows' hashes, for the index to confirm a candidate; a struct, so the index's lookup is specialised and inlined.</summary>
    private readonly struct ReservationHashes(ChunkedList<ReservationRow> rows) : IHashedRecords
    {
        public UInt128 HashOf(int record) => rows[record].Hash;
    }

    private struct ReservationRow
    {
        // The hash in two halves: a UInt128 field would align the row to 16 bytes.
        public ulong HashHigh;
        public ulong HashLow;
        public long Credits;
        public long CommittedCredits;

        /// <summary>The tokens its completing entry recorded (see <see cref="Fields.Tokens"/>).</summary>
        public long Tokens;
        public TextSlice Key;
        public TextSlice Actor;

        // The entry rows that opened and completed the reservation (-1: open), whose times are its CreatedAt and
        // CompletedAt: two stamps fewer a row.
        public int ReservedEntry;
        public int CompletedEntry;
        public int Feature;
        public int Parts;

        /// <summary>The index of its period's start in the journal's list of periods (one a month).</summary>
        public int Period;
        public Stamp ExpiresAt;
        public byte Status;

        public readonly UInt128 Hash => new(HashHigh, HashLow);
    }

    /// <summary>A <see cref="DateTimeOffset"/> kept exactly (clock ticks and offset), without references.</summary>
    /// <remarks>Packed to 10 bytes (2-byte aligned), so a row pads it to no more than the row's own alignment.</remarks>
    [StructLayout(LayoutKind.Sequential, Pack = 2)]
    private readonly record struct Stamp(long Ticks, short OffsetMinutes)
    {
        public static Stamp From(DateTimeOffset value) => new(value.Ticks, (short)value.TotalOffsetMinutes);

        public DateTimeOffset ToDateTimeOffset() => new(Ticks, TimeSpan.FromMinutes(OffsetMinutes));
    }
}
