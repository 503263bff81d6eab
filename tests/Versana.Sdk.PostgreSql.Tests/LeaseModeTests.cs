using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Versana.Sdk.Ledger.Storage;
using Versana.Sdk.PostgreSql.Leases;

namespace Versana.Sdk.PostgreSql.Tests;

/// <summary>Lease mode in one process, on a clock the tests control: what is served locally, settled, given back.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LeaseModeTests(PostgresServer server) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
    private readonly string _schema = PostgresServer.NewSchema();
    private CreditLedger _observer = null!;

    public async Task InitializeAsync()
    {
        _observer = PostgresCreditLedger.Open(Options(), Ledger(), _time);
        await _observer.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter") { AutomationEnabled = false });
        await _observer.CreateWorkspaceAsync(new WorkspaceSettings("tiny", "Tiny"));
        await _observer.CreateWorkspaceAsync(new WorkspaceSettings("solo", "Solo"));
    }

    public async Task DisposeAsync() => await _observer.DisposeAsync();

    [Fact]
    public async Task ManyReservationsTakeOneLease_TheirCommitsAreSettledLater_ReplayAgrees()
    {
        await using var ledger = OpenLeased();
        string? firstId = null;
        for (var i = 0; i < 50; i++)
        {
            var reserved = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, $"k{i}") { Credits = 1 });
            Assert.True(reserved.IsGranted);
            firstId ??= reserved.Reservation.Id;
            Assert.Equal(1, (await ledger.CommitAsync("acme", reserved.Reservation.Id)).Charged);
        }

        // One decision on the hot row for fifty reservations: the lease. The charges are durable but not settled.
        Assert.Equal(1, await CountAsync(LedgerEntryKind.LeaseTaken));
        Assert.Equal(0, await CountAsync(LedgerEntryKind.Reserved));
        Assert.Equal(50, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.lease_charges WHERE NOT settled"));
        var parked = await _observer.GetBalanceAsync("acme");
        Assert.Equal((0, 100, 2900), (parked.Used, parked.Held, parked.Available));

        _time.Advance(TimeSpan.FromSeconds(1)); // the settle interval
        await EventuallyAsync(async () => (await _observer.GetBalanceAsync("acme")).Used == 50);
        var settled = await _observer.GetBalanceAsync("acme");
        Assert.Equal((50, 50, 2900), (settled.Used, settled.Held, settled.Available));
        Assert.Equal(50, await CountAsync(LedgerEntryKind.Committed));
        Assert.Equal(2, await CountAsync(LedgerEntryKind.LeaseTaken)); // the renewal
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);

        // Settled commits are known to every process: a retry elsewhere is the same commit.
        var first = await _observer.GetReservationAsync("acme", firstId!);
        Assert.Equal(ReservationStatus.Committed, first?.Status);
        Assert.Equal(1, (await _observer.CommitAsync("acme", first!.Id)).Charged);
        Assert.Equal(50, (await _observer.GetBalanceAsync("acme")).Used);

        var usage = await _observer.GetUsageAsync("acme", new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 10));
        Assert.Equal(50, usage.TotalCredits);
    }

    [Fact]
    public async Task AnIdleLeaseIsGivenBack_AndDisposingGivesBackTheRest()
    {
        await using (var ledger = OpenLeased())
        {
            var reserved = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, "idle-1"));
            await ledger.CommitAsync("acme", reserved.Reservation!.Id);
            Assert.Equal(100, (await _observer.GetBalanceAsync("acme")).Held);

            for (var i = 0; i < 6; i++)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }

            await EventuallyAsync(async () => (await _observer.GetBalanceAsync("acme")).Held == 0);
            Assert.Equal(1, await CountAsync(LedgerEntryKind.LeaseReturned));

            // Used again: a new lease; disposing returns it with its last charge settled.
            var again = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, "idle-2"));
            await ledger.CommitAsync("acme", again.Reservation!.Id);
        }

        var balance = await _observer.GetBalanceAsync("acme");
        Assert.Equal((2, 0, 2998), (balance.Used, balance.Held, balance.Available));
        Assert.Equal(2, await CountAsync(LedgerEntryKind.LeaseReturned));
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.leases"));
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.lease_charges"));
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task SameKeyOrSameCommit_OneEffect_AndTheGuardRulesHoldLocally()
    {
        await using var ledger = OpenLeased();
        var reserved = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "same") { Credits = 5 }).AsTask()));
        Assert.Single(reserved.Select(r => r.Reservation!.Id).Distinct());
        var id = reserved[0].Reservation!.Id;

        var commits = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ledger.CommitAsync("acme", id, 3).AsTask()));
        Assert.All(commits, c => Assert.Equal((3, 2), (c.Charged, c.Returned)));
        Assert.Equal(ReservationStatus.Committed, (await ledger.GetReservationAsync("acme", id))?.Status);
        var conflict = await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.CommitAsync("acme", id, 4).AsTask());
        Assert.Equal(CreditLedgerError.ReservationAlreadyCompleted, conflict.Error);
        Assert.Equal(CreditLedgerError.ReservationAlreadyCompleted, (await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.ReleaseAsync("acme", id).AsTask())).Error);
        Assert.Equal(CreditLedgerError.IdempotencyKeyReused, (await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "same")).AsTask())).Error);

        var released = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "rel"));
        Assert.Equal(released.Reservation!.Credits, (await ledger.ReleaseAsync("acme", released.Reservation.Id)).Returned);
        Assert.Equal(released.Reservation.Credits, (await ledger.ReleaseAsync("acme", released.Reservation.Id)).Returned);
        Assert.Equal(CreditLedgerError.ReservationAlreadyCompleted, (await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.CommitAsync("acme", released.Reservation.Id).AsTask())).Error);

        var over = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "over") { Credits = 2 });
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.CommitAsync("acme", over.Reservation!.Id, 3).AsTask());

        // Automation is off in this workspace: the shared ledger answers, with its reason; nothing is held for it.
        var automated = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.AutomatedResponse, "auto"));
        Assert.Equal(CreditDenialReason.AutomationNotActivated, automated.Denial?.Reason);
        var expired = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "late") { Ttl = TimeSpan.FromSeconds(30) });
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(CreditLedgerError.ReservationExpired, (await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.CommitAsync("acme", expired.Reservation!.Id).AsTask())).Error);

        await ledger.DisposeAsync();
        var balance = await _observer.GetBalanceAsync("acme");
        Assert.Equal((3, 0, 2997), (balance.Used, balance.Held, balance.Available));
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task ASettingsChangeMadeThroughTheLeasedProcess_AppliesToItsLeaseAtOnce()
    {
        await using var ledger = OpenLeased();
        await ledger.UpdateSettingsAsync("acme", new WorkspaceSettingsUpdate { AutomationEnabled = true });
        var first = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.AutomatedResponse, "on"));
        Assert.True(first.IsGranted);
        Assert.Equal(1, await CountAsync(LedgerEntryKind.LeaseTaken));
        Assert.Equal(0, await CountAsync(LedgerEntryKind.Reserved));

        // No settlement runs in between (the clock stands still): the change itself must reach the lease.
        await ledger.UpdateSettingsAsync("acme", new WorkspaceSettingsUpdate { AutomationEnabled = false });
        var refused = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.AutomatedResponse, "off"));
        Assert.Equal(CreditDenialReason.AutomationNotActivated, refused.Denial?.Reason);

        await ledger.UpdateSettingsAsync("acme", new WorkspaceSettingsUpdate { Costs = new Dictionary<AiFeature, long> { [AiFeature.ConversationSummary] = 4 } });
        var priced = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "priced"));
        Assert.Equal(4, priced.Reservation?.Credits);
        Assert.Equal(0, await CountAsync(LedgerEntryKind.Reserved));
    }

    [Fact]
    public async Task APoolSmallerThanABlock_IsLeasedWhole_AndTheNextReservationIsDeniedWithItsReason()
    {
        await using var ledger = OpenLeased();
        for (var i = 0; i < 10; i++)
        {
            var reserved = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, $"t{i}") { Credits = 1 });
            await ledger.CommitAsync("tiny", reserved.Reservation!.Id);
        }

        var denied = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, "t10") { Credits = 1 });
        Assert.Equal(CreditDenialReason.CreditsExhausted, denied.Denial?.Reason);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), denied.Denial?.ResumesAt);

        var solo = await ledger.ReserveAsync("solo", new ReservationRequest(AiFeature.Classification, "s"));
        Assert.Equal(CreditDenialReason.PlanExcludesAi, solo.Denial?.Reason);
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.entries WHERE workspace_id = 'solo' AND kind IN ({(int)LedgerEntryKind.LeaseTaken}, {(int)LedgerEntryKind.Reserved})"));

        await ledger.DisposeAsync();
        var balance = await _observer.GetBalanceAsync("tiny");
        Assert.Equal((10, 0, 0), (balance.Used, balance.Held, balance.Available));
    }

    [Fact]
    public async Task ALeaseServedBalance_IsPausedWhenItsFreeCreditsCannotPayTheCheapestFeature()
    {
        var threeEach = AiFeature.BuiltIn.ToDictionary(f => f, _ => 3L);
        await _observer.UpdateSettingsAsync("tiny", new WorkspaceSettingsUpdate { Costs = threeEach });
        await using var ledger = OpenLeased();

        var first = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, "a"));
        Assert.False(first.Balance.Paused);
        await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, "b"));
        var third = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, "c"));

        // 1 credit left of the 10 the lease took whole, and nothing costs less than 3.
        Assert.Equal(0, await CountAsync(LedgerEntryKind.Reserved));
        Assert.Equal((1L, true, CreditDenialReason.CreditsExhausted), (third.Balance.Available, third.Balance.Paused, third.Balance.PauseReason));
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), third.Balance.ResumesAt);
        var denied = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, "d"));
        Assert.Equal(CreditDenialReason.CreditsExhausted, denied.Denial?.Reason);
    }

    [Fact]
    public async Task AnAbandonedLeaseExpires_ItsDurableChargesAreSettledOnce_AndALateCommitIsRefused()
    {
        // The stalled process has its own clock that never moves, so it never renews; the observer's moves on.
        var stalledClock = new FakeTimeProvider(_time.GetUtcNow());
        var stalled = PostgresCreditLedger.OpenLeased(Options(), Ledger(), stalledClock);
        try
        {
            var committed = await stalled.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "c1") { Credits = 7 });
            await stalled.CommitAsync("acme", committed.Reservation!.Id);
            var open = await stalled.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "o1") { Credits = 9 });

            _time.Advance(TimeSpan.FromMinutes(4)); // past the lease TTL (reservation TTL + 1 minute)
            await using var second = PostgresCreditLedger.Open(Options(), Ledger(), _time);
            var balances = await Task.WhenAll(_observer.GetBalanceAsync("acme").AsTask(), second.GetBalanceAsync("acme").AsTask());
            Assert.All(balances, b => Assert.Equal((7, 0), (b.Used, b.Held)));
            Assert.Equal(1, await CountAsync(LedgerEntryKind.LeaseExpired));
            Assert.Equal(1, await CountAsync(LedgerEntryKind.Committed));

            // Its own clock says the reservation is fine, but the lease is gone: the commit cannot land.
            var late = await Assert.ThrowsAsync<CreditLedgerException>(() => stalled.CommitAsync("acme", open.Reservation!.Id).AsTask());
            Assert.Equal(CreditLedgerError.ReservationExpired, late.Error);
            Assert.Equal(7, (await _observer.GetBalanceAsync("acme")).Used);
        }
        finally
        {
            await stalled.DisposeAsync();
        }

        var balance = await _observer.GetBalanceAsync("acme");
        Assert.Equal((7, 0, 2993), (balance.Used, balance.Held, balance.Available));
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task AtTheRefresh_TheOldPeriodsLeaseIsGivenBack_AndANewOneTakenFromTheNewAllocation()
    {
        _time.SetUtcNow(new DateTimeOffset(2026, 3, 31, 23, 59, 50, TimeSpan.Zero));
        await using var ledger = OpenLeased();
        var march = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "march") { Credits = 30 });
        await ledger.CommitAsync("acme", march.Reservation!.Id);

        _time.SetUtcNow(new DateTimeOffset(2026, 4, 1, 0, 0, 1, TimeSpan.Zero));
        var april = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "april") { Credits = 4 });
        Assert.True(april.IsGranted);
        await ledger.CommitAsync("acme", april.Reservation!.Id);
        await ledger.DisposeAsync();

        var balance = await _observer.GetBalanceAsync("acme");
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), balance.PeriodStart);
        Assert.Equal((4, 0, 2996), (balance.Used, balance.Held, balance.Available));
        Assert.Equal(30, (await _observer.GetUsageAsync("acme", new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 31))).TotalCredits);
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task AReservationCommittedThroughAnotherProcess_IsRefusedWithWhereToSendIt_AndNothingChanges()
    {
        await using var first = OpenLeased();
        await using var other = OpenLeased();
        var reserved = await first.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "elsewhere") { Credits = 3 });
        var before = await _observer.GetBalanceAsync("acme");

        var refused = await Assert.ThrowsAsync<CreditLedgerException>(() => other.CommitAsync("acme", reserved.Reservation!.Id).AsTask());
        Assert.Equal(CreditLedgerError.ReservationNotFound, refused.Error);
        Assert.Contains("process that made it", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await _observer.GetBalanceAsync("acme"));

        Assert.Equal(3, (await first.CommitAsync("acme", reserved.Reservation!.Id)).Charged);
    }

    [Fact]
    public void InvalidLeaseOptions_AreRefusedAtStart_WithWhatToFix()
    {
        var options = Options();
        options.Lease.Ttl = TimeSpan.FromMinutes(1); // not longer than the 2-minute reservation TTL
        var error = Assert.Throws<InvalidOperationException>(() => PostgresCreditLedger.OpenLeased(options, Ledger(), _time));
        Assert.Contains("CreditLeaseOptions.Ttl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALeaseTtlWithoutRoomForTheClockAllowance_IsRefusedAtStart()
    {
        // Longer than the 2-minute reservation TTL, but a reservation must end 5 s before its lease: none would fit.
        var options = Options();
        options.Lease.Ttl = TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(3);
        var error = Assert.Throws<InvalidOperationException>(() => PostgresCreditLedger.OpenLeased(options, Ledger(), _time));
        Assert.Contains("by more than 5 s", error.Message, StringComparison.Ordinal);

        options.Lease.Ttl = TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(6);
        await using var accepted = PostgresCreditLedger.OpenLeased(options, Ledger(), _time);
    }

    [Fact]
    public async Task ACommittedLeaseReservation_IsKnownToEveryProcessAtOnce_SoARetryElsewhereIsChargedOnce()
    {
        await using var ledger = OpenLeased();
        var reserved = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "retried") { Credits = 3 });
        Assert.Equal(2, (await ledger.CommitAsync("acme", reserved.Reservation!.Id, 2)).Charged);

        // Not settled yet, and already known to another process: the same commit, the same reservation for its key.
        Assert.Equal(0, await CountAsync(LedgerEntryKind.Committed));
        var elsewhere = await _observer.GetReservationAsync("acme", reserved.Reservation.Id);
        Assert.Equal((ReservationStatus.Committed, 3L, 2L), (elsewhere!.Status, elsewhere.Credits, elsewhere.CommittedCredits!.Value));
        var retried = await _observer.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "retried") { Credits = 3 });
        Assert.Equal(reserved.Reservation.Id, retried.Reservation!.Id);
        Assert.Equal(2, (await _observer.CommitAsync("acme", reserved.Reservation.Id, 2)).Charged);

        _time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(async () => (await _observer.GetBalanceAsync("acme")).Used == 2);
        Assert.Equal(1, await CountAsync(LedgerEntryKind.Committed));
        Assert.Equal(0, await CountAsync(LedgerEntryKind.Reserved));
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task AChargeWrittenByAnOlderVersion_GetsItsCompletedReservationAtSettlement()
    {
        await using var ledger = OpenLeased();
        var reserved = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "old") { Credits = 1 });
        await ledger.CommitAsync("acme", reserved.Reservation!.Id);

        // As an older version left it: the charge alone, without its completed reservation.
        await server.ScalarAsync($"""
            WITH gone AS (DELETE FROM {_schema}.reservations WHERE id = '{reserved.Reservation.Id}' RETURNING 1)
            SELECT count(*) FROM gone
            """);
        await server.ScalarAsync($"""
            WITH changed AS (
                UPDATE {_schema}.lease_charges SET data = replace(data, '"ReservationStored":true', '"ReservationStored":false')
                WHERE reservation_id = '{reserved.Reservation.Id}' RETURNING 1)
            SELECT count(*) FROM changed
            """);
        Assert.Null(await _observer.GetReservationAsync("acme", reserved.Reservation.Id));

        _time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(async () => (await _observer.GetBalanceAsync("acme")).Used == 1);
        Assert.Equal(ReservationStatus.Committed, (await _observer.GetReservationAsync("acme", reserved.Reservation.Id))?.Status);
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task ACharge_IsDeletedWhenSettled_AndWrittenAgainBeforeOrAfterThat_LandsOnce()
    {
        await using var ledger = OpenLeased();
        var reserved = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "twice") { Credits = 3 });
        Assert.Equal(2, (await ledger.CommitAsync("acme", reserved.Reservation!.Id, 2)).Charged);

        // The charge as the writer sent it, to send it again as a retry does (its first write landed, the reply was lost).
        var id = reserved.Reservation.Id;
        await using var database = NpgsqlDataSource.Create(server.ConnectionString);
        var (leaseId, charge) = await ReadChargeAsync(database, id);
        var completed = JsonSerializer.Deserialize(
            await server.TextAsync($"SELECT data FROM {_schema}.reservations WHERE id = '{id}' AND lease_id = '{leaseId}'"),
            StorageJsonContext.Default.ReservationSnapshot)!;
        await using var writer = new LeaseChargeWriter(database, $"\"{_schema}\"");

        // Before settlement the charge is there: the plain insert conflicts, and the retry statement skips it.
        Assert.Equal(LeaseChargeOutcome.Written, await writer.WriteAsync(leaseId, "acme", charge, completed));
        Assert.Equal(1, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.lease_charges"));

        _time.Advance(TimeSpan.FromSeconds(1)); // the settle interval
        await EventuallyAsync(async () => (await _observer.GetBalanceAsync("acme")).Used == 2);
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.lease_charges"));

        // After settlement nothing conflicts: the completed reservation naming the lease says it landed already.
        Assert.Equal(LeaseChargeOutcome.Written, await writer.WriteAsync(leaseId, "acme", charge, completed));
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.lease_charges"));
        await ledger.DisposeAsync(); // gives the lease back, settling whatever it still has
        Assert.Equal(1, await CountAsync(LedgerEntryKind.LeaseReturned));
        Assert.Equal(2, (await _observer.GetBalanceAsync("acme")).Used);
        Assert.Equal(1, await CountAsync(LedgerEntryKind.Committed));
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task AKeyTheSharedLedgerCompleted_ServedAgainFromALease_IsStillCharged()
    {
        // The shared ledger reserved and released this key; the lease, which only knows its own reservations, serves
        // it again. Its completed reservation names no lease, so it is no proof of this charge: the charge lands.
        var elsewhere = await _observer.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "both") { Credits = 4 });
        await _observer.ReleaseAsync("acme", elsewhere.Reservation!.Id);
        await using var ledger = OpenLeased();
        var reserved = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "both") { Credits = 4 });
        Assert.Equal(4, (await ledger.CommitAsync("acme", reserved.Reservation!.Id)).Charged);

        _time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(async () => (await _observer.GetBalanceAsync("acme")).Used == 4);
        Assert.Equal(1, await CountAsync(LedgerEntryKind.Committed));
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task ABalanceReadThroughTheLeasedProcess_CountsItsOwnLeasesFreeCreditsAsAvailable()
    {
        await using var ledger = OpenLeased();
        var reserved = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, "a") { Credits = 1 });
        await ledger.CommitAsync("tiny", reserved.Reservation!.Id);

        // The lease took the whole pool: to everyone else it is held, to this process 9 credits are there to spend.
        var elsewhere = await _observer.GetBalanceAsync("tiny");
        Assert.Equal((0L, true), (elsewhere.Available, elsewhere.Paused));
        var here = await ledger.GetBalanceAsync("tiny");
        Assert.Equal((9L, false, (CreditDenialReason?)null), (here.Available, here.Paused, here.PauseReason));
        Assert.Equal(here.MonthlyRemaining + here.BoostRemaining - here.Held, here.Available);

        // A pack bought through this process shows in its reply, and in the next lease-served reply too.
        var purchase = await ledger.PurchaseBoostPackAsync("tiny", new BoostPackRequest(1_000, "pack"));
        Assert.Equal(1_009, purchase.Balance.Available);
        var next = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, "b") { Credits = 1 });
        Assert.Equal(1_008, next.Balance.Available);
        Assert.Equal(1_008, (await ledger.GetBalanceAsync("tiny")).Available);
    }

    [Fact]
    public async Task AKeyTheSharedLedgerDecided_IsAnsweredThereOnRetry_NeverServedAnewFromTheLease()
    {
        await using var ledger = OpenLeased();
        await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, "warm-up"));

        // An hour is longer than the lease lives: the shared ledger decides this one.
        var first = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "long") { Credits = 5, Ttl = TimeSpan.FromHours(1) });
        Assert.Equal(1, await CountAsync(LedgerEntryKind.Reserved));
        await ledger.CommitAsync("acme", first.Reservation!.Id);

        // The retry fits the lease, but only the shared ledger knows the key: the same reservation, committed.
        var retry = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "long") { Credits = 5 });
        Assert.Equal((first.Reservation.Id, ReservationStatus.Committed), (retry.Reservation?.Id, retry.Reservation?.Status));
        var reused = await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "long")).AsTask());
        Assert.Equal(CreditLedgerError.IdempotencyKeyReused, reused.Error);

        await ledger.DisposeAsync();
        Assert.Equal(5, (await _observer.GetBalanceAsync("acme")).Used);
    }

    [Fact]
    public async Task AReservationTheLeaseCannotServe_IsDecidedWithTheLeasesFreeCreditsGivenBack()
    {
        await using var ledger = OpenLeased();
        var small = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, "small") { Credits = 1 });

        // The lease holds all 10 credits, 9 of them free; a reservation for an hour goes to the shared ledger.
        var large = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, "large") { Credits = 5, Ttl = TimeSpan.FromHours(1) });
        Assert.True(large.IsGranted, large.Denial?.Message);
        Assert.Equal(4, large.Balance.Available);
        Assert.Equal(1, await CountAsync("tiny", LedgerEntryKind.LeaseReduced));

        // The lease kept the credit its open reservation holds (held until its charge is settled).
        await ledger.CommitAsync("tiny", small.Reservation!.Id);
        var balance = await _observer.GetBalanceAsync("tiny");
        Assert.Equal((6L, 4L), (balance.Held, balance.Available));
        Assert.True((await _observer.VerifyAsync("tiny")).IsConsistent);
        await ledger.DisposeAsync();
        var settled = await _observer.GetBalanceAsync("tiny");
        Assert.Equal((1L, 5L, 4L), (settled.Used, settled.Held, settled.Available));
    }

    [Fact]
    public async Task AKeyHeldInTheSharedLedger_AndCommittedFromALeaseElsewhere_IsChargedOnce()
    {
        var held = await _observer.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "twice-held") { Credits = 5 });
        await using var ledger = OpenLeased();
        var retry = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "twice-held") { Credits = 5 });
        Assert.Equal(held.Reservation!.Id, retry.Reservation!.Id);
        Assert.Equal(5, (await ledger.CommitAsync("acme", retry.Reservation.Id)).Charged);

        // The hold the shared ledger made for the key goes back when the lease's commit is settled, and its own
        // commit is then the same commit. Before, its completed reservation collided with the lease's row, and
        // every decision on the workspace failed from then on.
        _time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(async () => (await _observer.GetBalanceAsync("acme")).Used == 5);
        var late = await _observer.CommitAsync("acme", held.Reservation.Id);
        Assert.Equal((5L, ReservationStatus.Committed), (late.Charged, late.Reservation.Status));
        await ledger.DisposeAsync();
        var balance = await _observer.GetBalanceAsync("acme");
        Assert.Equal((5L, 0L), (balance.Used, balance.Held));
        Assert.Equal(1, await CountAsync(LedgerEntryKind.Committed));
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);

        // The shared hold may also expire before the lease's commit is settled: its completed reservation then
        // meets the lease's row and keeps it, and the key is still charged once.
        await _observer.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "held-expired") { Credits = 5 });
        await using var other = OpenLeased();
        var served = await other.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "held-expired") { Credits = 5 });
        await other.CommitAsync("acme", served.Reservation!.Id);
        _time.Advance(TimeSpan.FromMinutes(3)); // past the shared hold's TTL, and the lease's
        Assert.Equal(0, (await _observer.GetBalanceAsync("acme")).Held);
        await other.DisposeAsync();
        Assert.Equal(10, (await _observer.GetBalanceAsync("acme")).Used);
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task ARefusalByTheRules_KeepsTheLeaseWhole()
    {
        await using var ledger = OpenLeased();
        await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "s"));

        // Automation is off for acme: the credits do not matter, so the lease keeps its free ones for the next calls.
        var refused = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.AutomatedResponse, "auto"));
        Assert.Equal(CreditDenialReason.AutomationNotActivated, refused.Denial?.Reason);
        Assert.Equal(0, await CountAsync(LedgerEntryKind.LeaseReduced));
        Assert.Equal(100, (await _observer.GetBalanceAsync("acme")).Held);
    }

    [Fact]
    public async Task CreditsOfAPackThatExpires_AreNeverLeased_SoTheyLapseOnTime()
    {
        var options = Ledger();
        options.BoostPackLifetime = TimeSpan.FromSeconds(10);
        var store = Options();
        store.Lease.Enabled = true;
        await using var ledger = PostgresCreditLedger.OpenLeased(store, options, _time);
        for (var i = 0; i < 10; i++)
        {
            var monthly = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, $"m{i}") { Credits = 1 });
            await ledger.CommitAsync("tiny", monthly.Reservation!.Id);
        }

        // The month is spent; a pack that lapses in 10 s, and time enough for the lease to try the pool again.
        await ledger.PurchaseBoostPackAsync("tiny", new BoostPackRequest(1_000, "pack"));
        _time.Advance(TimeSpan.FromSeconds(2));
        var fromPack = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, "p") { Credits = 1 });
        Assert.True(fromPack.IsGranted);
        await ledger.CommitAsync("tiny", fromPack.Reservation!.Id);
        Assert.Equal(1, await CountAsync("tiny", LedgerEntryKind.Reserved));
        Assert.Equal(999, (await ledger.GetBalanceAsync("tiny")).Available);

        // Past the pack's end the process has nothing of it to spend.
        for (var i = 0; i < 9; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var lapsed = await ledger.ReserveAsync("tiny", new ReservationRequest(AiFeature.Classification, "q") { Credits = 1 });
        Assert.Equal(CreditDenialReason.CreditsExhausted, lapsed.Denial?.Reason);
        await ledger.DisposeAsync();
        var balance = await _observer.GetBalanceAsync("tiny");
        Assert.Equal((10L, 0L, 0L, 0L), (balance.Used, balance.Held, balance.BoostRemaining, balance.Available));
        Assert.True((await _observer.VerifyAsync("tiny")).IsConsistent);
    }

    [Fact]
    public async Task AKeyCommittedInAnotherProcess_IsNeverChargedAgain_WhenItsRetryIsServedFromALease()
    {
        await using var first = OpenLeased();
        await using var second = OpenLeased();
        var original = await first.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "retried") { Credits = 5 });
        await first.CommitAsync("acme", original.Reservation!.Id);

        // The retry reaches a process that never saw the key: it can only find out when it writes the charge.
        var retry = await second.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "retried") { Credits = 5 });
        Assert.Equal(original.Reservation.Id, retry.Reservation!.Id);
        var commit = await second.CommitAsync("acme", retry.Reservation.Id);
        Assert.Equal((5L, ReservationStatus.Committed), (commit.Charged, commit.Reservation.Status));
        var otherAmount = await Assert.ThrowsAsync<CreditLedgerException>(() => second.CommitAsync("acme", retry.Reservation.Id, actualCredits: 4).AsTask());
        Assert.Equal(CreditLedgerError.ReservationAlreadyCompleted, otherAmount.Error);

        await first.DisposeAsync();
        await second.DisposeAsync();
        var balance = await _observer.GetBalanceAsync("acme");
        Assert.Equal((5L, 0L), (balance.Used, balance.Held));
        Assert.Equal(1, await CountAsync(LedgerEntryKind.Committed));
        Assert.True((await _observer.VerifyAsync("acme")).IsConsistent);
    }

    private static CreditLedgerOptions Ledger()
    {
        var options = new CreditLedgerOptions();
        options.Plans.Add(new CreditPlan("Tiny", 1m, 10));
        return options;
    }

    private PostgresLedgerOptions Options() => new() { ConnectionString = server.ConnectionString, Schema = _schema };

    private LeasedCreditLedger OpenLeased()
    {
        var options = Options();
        options.Lease.Enabled = true;
        return PostgresCreditLedger.OpenLeased(options, Ledger(), _time);
    }

    private async Task<(string LeaseId, LeaseCharge Charge)> ReadChargeAsync(NpgsqlDataSource database, string reservationId)
    {
        await using var command = database.CreateCommand($"SELECT lease_id, data FROM {_schema}.lease_charges WHERE reservation_id = '{reservationId}'");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "The commit wrote no charge.");
        return (reader.GetString(0), JsonSerializer.Deserialize(reader.GetString(1), StorageJsonContext.Default.LeaseCharge)!);
    }

    private Task<long> CountAsync(LedgerEntryKind kind) => CountAsync("acme", kind);

    private Task<long> CountAsync(string workspaceId, LedgerEntryKind kind)
        => server.ScalarAsync($"SELECT count(*) FROM {_schema}.entries WHERE workspace_id = '{workspaceId}' AND kind = {(int)kind}");

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
