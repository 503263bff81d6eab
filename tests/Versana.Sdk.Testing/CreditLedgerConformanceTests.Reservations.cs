using Xunit;

namespace Versana.Sdk.Testing;

public abstract partial class CreditLedgerConformanceTests
{
    [Fact]
    public async Task HeldCredits_AreUnavailableToOthers()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());

        var held = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 2_999));
        var other = await ledger.ReserveAsync("acme", Request(AiFeature.AutomatedResponse));

        Assert.True(held.IsGranted);
        Assert.Equal(2_999, held.Balance.Held);
        Assert.Equal(1, held.Balance.Available);
        Assert.False(other.IsGranted);
        Assert.Equal(CreditDenialReason.CreditsExhausted, other.Denial.Reason);
    }

    [Fact]
    public async Task Release_ReturnsTheCredits_AndChargesNothing()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        var reservation = await ledger.ReserveAsync("acme", Request(AiFeature.AutomatedResponse));

        var release = await ledger.ReleaseAsync("acme", reservation.Reservation!.Id);

        Assert.Equal(2, release.Returned);
        Assert.Equal(ReservationStatus.Released, release.Reservation.Status);
        Assert.Equal(3_000, release.Balance.Available);
        Assert.Equal(0, release.Balance.Used);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task Commit_OfLessThanReserved_ReturnsTheRest()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        var reservation = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 10));

        var commit = await ledger.CommitAsync("acme", reservation.Reservation!.Id, 4);

        Assert.Equal(4, commit.Charged);
        Assert.Equal(6, commit.Returned);
        Assert.Equal(4, commit.Balance.Used);
        Assert.Equal(2_996, commit.Balance.Available);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task ExhaustedPool_DeniesWhole_WithResumesAtAndBoostOffer()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 2_999);
        var before = await Observe(ledger, "acme");

        var result = await ledger.ReserveAsync("acme", Request(AiFeature.AutomatedResponse));

        Assert.False(result.IsGranted);
        Assert.Equal(CreditDenialReason.CreditsExhausted, result.Denial.Reason);
        Assert.Equal(2, result.Denial.Requested);
        Assert.Equal(1, result.Denial.Available);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), result.Denial.ResumesAt);
        Assert.Equal([1_000L, 5_000L, 20_000L], result.Denial.BoostPackSizes);
        Assert.Equal(before, await Observe(ledger, "acme"));
        Assert.False(result.Balance.Paused);
    }

    [Fact]
    public async Task Workspace_IsPausedWhileTheCheapestFeatureCannotRun()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());

        await Spend(ledger, "acme", AiFeature.ConversationSummary, 2_999);
        Assert.False((await ledger.GetBalanceAsync("acme")).Paused);
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 1);

        var balance = await ledger.GetBalanceAsync("acme");
        Assert.True(balance.Paused);
        Assert.Equal(CreditDenialReason.CreditsExhausted, balance.PauseReason);
        Assert.Equal(balance.PeriodEnd, balance.ResumesAt);
    }

    [Fact]
    public async Task ExpiredReservation_IsReleasedOnce_AndALateCommitIsRefused()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        var reservation = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 100));

        Clock.Advance(TimeSpan.FromMinutes(2));
        var balance = await ledger.GetBalanceAsync("acme");
        await ledger.GetBalanceAsync("acme");
        var ex = await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.CommitAsync("acme", reservation.Reservation!.Id).AsTask());

        Assert.Equal(0, balance.Held);
        Assert.Equal(3_000, balance.Available);
        Assert.Equal(CreditLedgerError.ReservationExpired, ex.Error);
        Assert.Contains("expired", ex.Message);
        var entries = await ledger.GetEntriesAsync("acme");
        Assert.Single(entries, e => e.Kind == LedgerEntryKind.ReservationExpired);
        Assert.Equal(ReservationStatus.Expired, (await ledger.GetReservationAsync("acme", reservation.Reservation!.Id))!.Status);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task ReservationWithinItsTtl_IsStillHeld()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        var reservation = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 100, ttl: TimeSpan.FromMinutes(10)));

        Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        var commit = await ledger.CommitAsync("acme", reservation.Reservation!.Id);

        Assert.Equal(100, commit.Charged);
    }

    [Fact]
    public async Task ReleaseAfterExpiry_Succeeds_AndReturnsNothingMore()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        var reservation = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 100));
        Clock.Advance(TimeSpan.FromMinutes(3));

        var release = await ledger.ReleaseAsync("acme", reservation.Reservation!.Id);

        Assert.Equal(0, release.Returned);
        Assert.Equal(3_000, release.Balance.Available);
    }

    [Fact]
    public async Task Reserve_WithTheSameKey_ReturnsTheFirstReservation()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());

        var first = await ledger.ReserveAsync("acme", Request(AiFeature.ReplySuggestion, key: "k"));
        var second = await ledger.ReserveAsync("acme", Request(AiFeature.ReplySuggestion, key: "k"));

        Assert.Equal(first.Reservation!.Id, second.Reservation!.Id);
        Assert.Equal(1, second.Balance.Held);
    }

    [Fact]
    public async Task Reserve_WithAReusedKeyForAnotherAction_IsRefused()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        await ledger.ReserveAsync("acme", Request(AiFeature.ReplySuggestion, key: "k"));
        var before = await Observe(ledger, "acme");

        var ex = await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, key: "k")).AsTask());

        Assert.Equal(CreditLedgerError.IdempotencyKeyReused, ex.Error);
        Assert.Equal(before, await Observe(ledger, "acme"));
    }

    [Fact]
    public async Task CommitAndRelease_AreIdempotent_AndDoNotCrossOver()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        var a = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 5));
        var b = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 5));

        var commit1 = await ledger.CommitAsync("acme", a.Reservation!.Id, 3);
        var commit2 = await ledger.CommitAsync("acme", a.Reservation.Id, 3);
        var release1 = await ledger.ReleaseAsync("acme", b.Reservation!.Id);
        var release2 = await ledger.ReleaseAsync("acme", b.Reservation.Id);

        Assert.Equal(commit1.Charged, commit2.Charged);
        Assert.Equal(release1.Returned, release2.Returned);
        Assert.Equal(3, (await ledger.GetBalanceAsync("acme")).Used);
        Assert.Equal(CreditLedgerError.ReservationAlreadyCompleted, (await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.ReleaseAsync("acme", a.Reservation.Id).AsTask())).Error);
        Assert.Equal(CreditLedgerError.ReservationAlreadyCompleted, (await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.CommitAsync("acme", b.Reservation.Id).AsTask())).Error);
        Assert.Equal(CreditLedgerError.ReservationAlreadyCompleted, (await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.CommitAsync("acme", a.Reservation.Id, 4).AsTask())).Error);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task Thresholds_AreRaisedOncePerPeriod()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());

        await Spend(ledger, "acme", AiFeature.ConversationSummary, 2_249);
        Assert.DoesNotContain(await ledger.GetEntriesAsync("acme", 0, 1000), e => e.Kind == LedgerEntryKind.ThresholdCrossed);
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 1);
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 10);
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 740);
        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        await Spend(ledger, "acme", AiFeature.ConversationSummary, 2_250);

        var thresholds = (await ledger.GetEntriesAsync("acme", 0, 1000)).Where(e => e.Kind == LedgerEntryKind.ThresholdCrossed).ToList();
        Assert.Equal([75, 90, 100, 75], thresholds.Select(e => e.Percent!.Value));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), thresholds[3].PeriodStart);
    }

    [Fact]
    public async Task Usage_IsReportedByFeatureAndByLocalDay()
    {
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 16, 3, 0, 0, TimeSpan.Zero));
        var ledger = await WithWorkspace(await NewLedgerAsync(), timeZone: "America/New_York");
        await Spend(ledger, "acme", AiFeature.ReplySuggestion);
        await Spend(ledger, "acme", AiFeature.AutomatedResponse);
        Clock.Advance(TimeSpan.FromHours(3));
        await Spend(ledger, "acme", AiFeature.ReplySuggestion);
        await ledger.ReserveAsync("acme", Request(AiFeature.Classification));

        var usage = await ledger.GetUsageAsync("acme", new DateOnly(2026, 11, 15), new DateOnly(2026, 11, 16));

        Assert.Equal(4, usage.TotalCredits);
        Assert.Equal([new FeatureUsage(AiFeature.AutomatedResponse, 2, 1), new FeatureUsage(AiFeature.ReplySuggestion, 2, 2)], usage.ByFeature);
        Assert.Equal(
            [
                new DailyUsage(new DateOnly(2026, 11, 15), AiFeature.AutomatedResponse, 2, 1),
                new DailyUsage(new DateOnly(2026, 11, 15), AiFeature.ReplySuggestion, 1, 1),
                new DailyUsage(new DateOnly(2026, 11, 16), AiFeature.ReplySuggestion, 1, 1),
            ],
            usage.ByDay);
    }

    [Fact]
    public async Task AuditEntries_AreNumberedWithoutGaps_AndReplayToTheStoredBalance()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        await Spend(ledger, "acme", AiFeature.ReplySuggestion);
        var held = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 7));
        await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "b"));
        await ledger.ChangePlanAsync("acme", "Growth");
        await ledger.ReleaseAsync("acme", (await ledger.ReserveAsync("acme", Request(AiFeature.Classification))).Reservation!.Id);

        var entries = await ledger.GetEntriesAsync("acme", 0, 1000);

        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(LedgerEntryKind.WorkspaceCreated, entries[0].Kind);
        Assert.Equal(LedgerEntryKind.PeriodStarted, entries[1].Kind);
        Assert.Equal(entries.Skip(3).Select(e => (e.Sequence, e.Kind, e.ReservationId)), (await ledger.GetEntriesAsync("acme", 3, 1000)).Select(e => (e.Sequence, e.Kind, e.ReservationId)));
        var verification = await ledger.VerifyAsync("acme");
        Assert.True(verification.IsConsistent);
        Assert.Equal(entries.Count, verification.EntryCount);
        Assert.Equal(7, verification.Replayed.Held);
        Assert.Equal(held.Reservation!.Id, (await ledger.GetReservationAsync("acme", held.Reservation.Id))!.Id);
    }
}
