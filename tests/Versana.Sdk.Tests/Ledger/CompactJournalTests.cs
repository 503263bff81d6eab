using System.Text.Json;
using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.Tests.Ledger;

/// <summary>
/// The in-memory store keeps entries and reservations as reference-free rows: every entry must read back
/// exactly as it was written, whatever its shape, and completed reservations must keep their outcome.
/// </summary>
public sealed class CompactJournalTests
{
    private const string Workspace = "ws-compact";

    private static readonly DateTimeOffset s_start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly WorkspaceAccount _account = new();
    private readonly CompactJournal _journal = new(Workspace);
    private readonly List<LedgerEntry> _written = [];

    [Fact]
    public void Every_entry_reads_back_exactly_as_written()
    {
        var now = s_start.AddHours(1);
        Append(new LedgerEntry(Workspace, 1, now, LedgerEntryKind.WorkspaceCreated) { Plan = "Starter", TimeZoneId = "UTC", AutomationEnabled = true });
        Append(new LedgerEntry(Workspace, 2, now, LedgerEntryKind.PeriodStarted)
        {
            Plan = "Starter",
            Credits = 3000,
            PeriodStart = s_start,
            PeriodEnd = s_start.AddMonths(1),
        });
        Append(new LedgerEntry(Workspace, 3, now, LedgerEntryKind.BoostPurchased) { BoostId = "boost_1", IdempotencyKey = "buy-1", Credits = 1000, ExpiresAt = now.AddYears(1) });

        // Plain: all from the monthly bucket, committed in full.
        var plain = Reserve(4, "key-plain", AiFeature.ReplySuggestion, 10, [new(CreditPart.MonthlyBucket, 10)], actor: null);
        Complete(5, LedgerEntryKind.Committed, plain, 10, [new(CreditPart.MonthlyBucket, 10)], tokens: null, actor: null);

        // Metered with an actor and tokens, split over the monthly bucket and a boost pack, charged less than held.
        var split = Reserve(6, "key-split", AiFeature.ConversationSummary, 30, [new(CreditPart.MonthlyBucket, 20), new("boost_1", 10)], actor: "agent-7");
        Complete(7, LedgerEntryKind.Committed, split, 25, [new(CreditPart.MonthlyBucket, 20), new("boost_1", 5)], tokens: 1234, actor: "agent-7");

        // Released and expired reservations.
        var released = Reserve(8, "key-released", AiFeature.Classification, 5, [new(CreditPart.MonthlyBucket, 5)], actor: "agent-8");
        Complete(9, LedgerEntryKind.Released, released, 5, [new(CreditPart.MonthlyBucket, 5)], tokens: null, actor: null);
        var expired = Reserve(10, "key-expired", AiFeature.AutomatedResponse, 20, [new(CreditPart.MonthlyBucket, 20)], actor: null);
        Complete(11, LedgerEntryKind.ReservationExpired, expired, 20, [new(CreditPart.MonthlyBucket, 20)], tokens: null, actor: null);

        // A commit naming the feature in another case than its reservation cannot be rebuilt from the row: kept whole.
        var odd = Reserve(12, "key-odd", AiFeature.ReplySuggestion, 10, [new(CreditPart.MonthlyBucket, 10)], actor: null);
        Append(new LedgerEntry(Workspace, 13, now, LedgerEntryKind.Committed)
        {
            ReservationId = odd.Id,
            Feature = new AiFeature("replysuggestion"),
            Credits = 10,
            Parts = [new CreditPart(CreditPart.MonthlyBucket, 10)],
            PeriodStart = s_start,
        });

        // A reservation of a custom feature, with an offset that is not UTC, still open at the end.
        Append(new LedgerEntry(Workspace, 14, now.ToOffset(TimeSpan.FromHours(13)), LedgerEntryKind.Reserved)
        {
            ReservationId = ReservationIds.FromKey("key-open"),
            IdempotencyKey = "key-open",
            Feature = new AiFeature("Translation"),
            Credits = 0,
            Parts = [],
            PeriodStart = s_start,
            ExpiresAt = now.AddMinutes(5),
        });

        Assert.Equal(_written.Count, _journal.Count);
        for (var i = 0; i < _written.Count; i++)
        {
            Assert.Equal(Json(_written[i]), Json(_journal.Read(i)));
        }

        Assert.Equal(_written.Select(Json), _journal.ReadRange(0, _journal.Count).Select(Json));
        Assert.Equal(
            _written.Where(e => e.Kind == LedgerEntryKind.Committed).Select(Json),
            _journal.ReadCommits(s_start, s_start.AddMonths(1)).Select(Json));
        Assert.Empty(_journal.ReadCommits(s_start.AddMonths(1), s_start.AddMonths(2)));
    }

    [Fact]
    public void Completed_reservations_keep_their_outcome_and_are_found_by_id_and_key()
    {
        var now = s_start.AddHours(1);
        Append(new LedgerEntry(Workspace, 1, now, LedgerEntryKind.WorkspaceCreated) { Plan = "Starter", TimeZoneId = "UTC" });
        Append(new LedgerEntry(Workspace, 2, now, LedgerEntryKind.PeriodStarted) { Plan = "Starter", Credits = 3000, PeriodStart = s_start, PeriodEnd = s_start.AddMonths(1) });
        var committed = Reserve(3, "key-a", AiFeature.ReplySuggestion, 10, [new(CreditPart.MonthlyBucket, 10)], actor: "agent-1");
        Complete(4, LedgerEntryKind.Committed, committed, 7, [new(CreditPart.MonthlyBucket, 7)], tokens: null, actor: null);
        var released = Reserve(5, "key-b", AiFeature.Classification, 5, [new(CreditPart.MonthlyBucket, 5)], actor: null);
        Complete(6, LedgerEntryKind.Released, released, 5, [new(CreditPart.MonthlyBucket, 5)], tokens: null, actor: null);
        var open = Reserve(7, "key-c", AiFeature.ReplySuggestion, 10, [new(CreditPart.MonthlyBucket, 10)], actor: null);

        var found = _journal.Find(committed.Id)!;
        Assert.Equal(ReservationStatus.Committed, found.Status);
        Assert.Equal(7, found.CommittedCredits);
        Assert.Equal(now, found.CompletedAt);
        Assert.Equal("key-a", found.IdempotencyKey);
        Assert.Equal("agent-1", found.Actor);
        Assert.Equal([new CreditPart(CreditPart.MonthlyBucket, 10)], found.Parts);
        Assert.Equal(JsonSerializer.Serialize(committed.ToSnapshot()), JsonSerializer.Serialize(found.ToSnapshot()));

        Assert.Equal(ReservationStatus.Released, _journal.FindByKey("key-b", _account.Open)!.Status);
        Assert.Null(_journal.FindByKey("key-b", _account.Open)!.CommittedCredits);

        // An open reservation is the account's live object, never a copy.
        Assert.Same(open, _journal.FindByKey("key-c", _account.Open));
        Assert.Null(_journal.FindByKey("key-unknown", _account.Open));
        Assert.Null(_journal.Find(ReservationIds.FromKey("key-unknown")));
        Assert.Null(_journal.Find("not-an-id"));
    }

    [Fact]
    public void Completed_reservations_keep_the_times_of_the_entries_that_opened_and_closed_them()
    {
        var now = s_start.AddHours(1);
        Append(new LedgerEntry(Workspace, 1, now, LedgerEntryKind.WorkspaceCreated) { Plan = "Starter", TimeZoneId = "UTC" });
        Append(new LedgerEntry(Workspace, 2, now, LedgerEntryKind.PeriodStarted) { Plan = "Starter", Credits = 3000, PeriodStart = s_start, PeriodEnd = s_start.AddMonths(1) });

        // Every time different, some not in UTC: a row that took one entry's time for another's would read back wrong.
        var openedA = now.AddSeconds(1).ToOffset(TimeSpan.FromHours(13));
        var openedB = now.AddSeconds(2);
        var closedA = now.AddMinutes(3).ToOffset(new TimeSpan(5, 30, 0));
        var closedB = now.AddMinutes(4).ToOffset(TimeSpan.FromHours(-8));
        var openedC = now.AddMinutes(5);
        var closedC = now.AddMinutes(6).AddTicks(7);
        var a = ReserveAt(3, openedA, "key-a");
        var b = ReserveAt(4, openedB, "key-b");
        CompleteAt(5, closedA, LedgerEntryKind.Committed, a, a.Feature);

        // The feature named in another case: this commit cannot be rebuilt from the row and is kept whole.
        CompleteAt(6, closedB, LedgerEntryKind.Committed, b, new AiFeature("replysuggestion"));
        var c = ReserveAt(7, openedC, "key-c");
        CompleteAt(8, closedC, LedgerEntryKind.Released, c, c.Feature);
        var open = ReserveAt(9, now.AddMinutes(7), "key-open");

        foreach (var (reservation, opened, closed) in new[] { (a, openedA, closedA), (b, openedB, closedB), (c, openedC, closedC) })
        {
            var found = _journal.Find(reservation.Id)!;
            Assert.True(found.CreatedAt.EqualsExact(opened), $"{found.CreatedAt:O} read back for {opened:O}");
            Assert.True(found.CompletedAt!.Value.EqualsExact(closed), $"{found.CompletedAt:O} read back for {closed:O}");
            Assert.Equal(JsonSerializer.Serialize(reservation.ToSnapshot()), JsonSerializer.Serialize(found.ToSnapshot()));
        }

        Assert.Same(open, _journal.FindByKey("key-open", _account.Open));
        Assert.Equal(_written.Select(Json), _journal.ReadRange(0, _journal.Count).Select(Json));
    }

    [Fact]
    public void Reservations_keep_their_own_period_and_the_tokens_of_the_entry_that_completed_them()
    {
        // Rows name their period by its place in the journal's list, and keep the completing entry's tokens.
        var now = s_start.AddHours(1);
        var second = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(2));
        Append(new LedgerEntry(Workspace, 1, now, LedgerEntryKind.WorkspaceCreated) { Plan = "Starter", TimeZoneId = "UTC" });
        Append(new LedgerEntry(Workspace, 2, now, LedgerEntryKind.PeriodStarted) { Plan = "Starter", Credits = 3000, PeriodStart = s_start, PeriodEnd = second });
        var old = ReserveAt(3, now, "key-old", s_start);
        Append(new LedgerEntry(Workspace, 4, now, LedgerEntryKind.PeriodStarted) { Plan = "Starter", Credits = 3000, PeriodStart = second, PeriodEnd = second.AddMonths(1) });
        var current = ReserveAt(5, now, "key-current", second);
        var zero = ReserveAt(6, now, "key-zero", second);

        // The old period's reservation is committed after the new period began, with its own period start.
        Complete(7, LedgerEntryKind.Committed, old, 10, [new(CreditPart.MonthlyBucket, 10)], tokens: 1_000_000_000_007, actor: null);
        Complete(8, LedgerEntryKind.Committed, current, 10, [new(CreditPart.MonthlyBucket, 10)], tokens: null, actor: null);
        Complete(9, LedgerEntryKind.Committed, zero, 10, [new(CreditPart.MonthlyBucket, 10)], tokens: 0, actor: null);
        var late = ReserveAt(10, now, "key-late", s_start);

        Assert.True(_journal.Find(old.Id)!.PeriodStart.EqualsExact(s_start));
        Assert.True(_journal.Find(current.Id)!.PeriodStart.EqualsExact(second));
        Assert.True(_journal.Find(zero.Id)!.PeriodStart.EqualsExact(second));
        Assert.True(_journal.FindByKey("key-late", _account.Open)!.PeriodStart.EqualsExact(s_start));
        Assert.Equal(1_000_000_000_007, _journal.Read(6).Tokens);
        Assert.Null(_journal.Read(7).Tokens);
        Assert.Equal(0, _journal.Read(8).Tokens);
        Assert.Equal(_written.Select(Json), _journal.ReadRange(0, _journal.Count).Select(Json));
        Assert.Same(late, _journal.FindByKey("key-late", _account.Open));
    }

    [Fact]
    public void Rows_are_as_small_as_documented()
    {
        // What each guarded call keeps for good; padding crept in once when a field's type changed.
        Assert.Equal(32, SizeOfRow("EntryRow"));
        Assert.Equal(96, SizeOfRow("ReservationRow"));

        static int SizeOfRow(string name)
        {
            var row = typeof(CompactJournal).GetNestedType(name, System.Reflection.BindingFlags.NonPublic)!;
            return (int)typeof(System.Runtime.CompilerServices.Unsafe).GetMethod(nameof(System.Runtime.CompilerServices.Unsafe.SizeOf))!.MakeGenericMethod(row).Invoke(null, null)!;
        }
    }

    [Fact]
    public void A_reservation_whose_id_is_not_derived_from_its_key_is_kept_whole()
    {
        var now = s_start.AddHours(1);
        Append(new LedgerEntry(Workspace, 1, now, LedgerEntryKind.WorkspaceCreated) { Plan = "Starter", TimeZoneId = "UTC" });
        Append(new LedgerEntry(Workspace, 2, now, LedgerEntryKind.PeriodStarted) { Plan = "Starter", Credits = 3000, PeriodStart = s_start, PeriodEnd = s_start.AddMonths(1) });
        Append(new LedgerEntry(Workspace, 3, now, LedgerEntryKind.Reserved)
        {
            ReservationId = "res_custom",
            IdempotencyKey = "key-custom",
            Feature = AiFeature.ReplySuggestion,
            Credits = 10,
            Parts = [new CreditPart(CreditPart.MonthlyBucket, 10)],
            PeriodStart = s_start,
            ExpiresAt = now.AddMinutes(5),
        });
        var reservation = _account.Open["res_custom"];
        Complete(4, LedgerEntryKind.Committed, reservation, 10, [new(CreditPart.MonthlyBucket, 10)], tokens: null, actor: null);

        Assert.Equal(ReservationStatus.Committed, _journal.Find("res_custom")!.Status);
        Assert.Same(_journal.Find("res_custom"), _journal.FindByKey("key-custom", _account.Open));
        Assert.Equal(_written.Select(Json), _journal.ReadRange(0, _journal.Count).Select(Json));
    }

    private static string Json(LedgerEntry entry) => JsonSerializer.Serialize(entry, VersanaJson.Wire);

    private Reservation Reserve(long sequence, string key, AiFeature feature, long credits, CreditPart[] parts, string? actor)
    {
        Append(new LedgerEntry(Workspace, sequence, s_start.AddHours(1), LedgerEntryKind.Reserved)
        {
            ReservationId = ReservationIds.FromKey(key),
            IdempotencyKey = key,
            Feature = feature,
            Credits = credits,
            Parts = parts,
            PeriodStart = s_start,
            ExpiresAt = s_start.AddHours(1).AddMinutes(5),
            Actor = actor,
        });
        return _account.Open[ReservationIds.FromKey(key)];
    }

    private void Complete(long sequence, LedgerEntryKind kind, Reservation reservation, long credits, CreditPart[] parts, long? tokens, string? actor)
        => Append(new LedgerEntry(Workspace, sequence, s_start.AddHours(1), kind)
        {
            ReservationId = reservation.Id,
            Feature = reservation.Feature,
            Credits = credits,
            Parts = parts,
            PeriodStart = kind == LedgerEntryKind.Committed ? reservation.PeriodStart : null,
            Actor = actor,
            Tokens = tokens,
        });

    private Reservation ReserveAt(long sequence, DateTimeOffset at, string key, DateTimeOffset? periodStart = null)
    {
        Append(new LedgerEntry(Workspace, sequence, at, LedgerEntryKind.Reserved)
        {
            ReservationId = ReservationIds.FromKey(key),
            IdempotencyKey = key,
            Feature = AiFeature.ReplySuggestion,
            Credits = 10,
            Parts = [new CreditPart(CreditPart.MonthlyBucket, 10)],
            PeriodStart = periodStart ?? s_start,
            ExpiresAt = at.AddMinutes(5),
        });
        return _account.Open[ReservationIds.FromKey(key)];
    }

    private void CompleteAt(long sequence, DateTimeOffset at, LedgerEntryKind kind, Reservation reservation, AiFeature feature)
        => Append(new LedgerEntry(Workspace, sequence, at, kind)
        {
            ReservationId = reservation.Id,
            Feature = feature,
            Credits = 10,
            Parts = [new CreditPart(CreditPart.MonthlyBucket, 10)],
            PeriodStart = kind == LedgerEntryKind.Committed ? reservation.PeriodStart : null,
        });

    private void Append(LedgerEntry entry)
    {
        _journal.Apply(_account, LedgerEntryValue.From(entry));
        _written.Add(entry);
    }
}
