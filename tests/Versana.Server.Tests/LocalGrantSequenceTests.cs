using Microsoft.Extensions.Time.Testing;

namespace Versana.Server.Tests;

/// <summary>
/// Fail-open mode's local grants against the ledger's own rules: while the service is away, a seeded sequence of
/// reserves, retries, commits (metered, over the hold, repeated), releases and the clock moving runs on the remote
/// ledger and on an in-memory ledger whose workspace has the allowance as its month. Every answer must be the
/// ledger's — what is granted and refused, charged and returned, which refusal — and so must the credits left.
/// When the service is back, what the process charged it must be exactly what the reference charged.
/// </summary>
public sealed class LocalGrantSequenceTests
{
    private const long Allowance = 12;

    private static readonly AiFeature[] s_features =
        [AiFeature.ReplySuggestion, AiFeature.ConversationSummary, AiFeature.Classification, AiFeature.AutomatedResponse];

    private static readonly TimeSpan[] s_clockSteps =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(3)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task WhileTheServiceIsAway_LocalGrantsAnswerAsTheLedger_AndAreChargedExactlyOnceWhenItIsBack(int seed)
    {
        await using var server = await ServerHarness.StartAsync();
        var key = await server.CreateWorkspaceAsync("acme", "Growth");
        var clock = new FakeTimeProvider(server.Clock.GetUtcNow());
        var faults = new FaultInjectingHandler(seed, 0, 0) { Down = true, InnerHandler = new HttpClientHandler() };
        using var http = new HttpClient(faults);
        var remote = server.FailOpenLedger(http, key, allowance: Allowance, clock);

        var options = new CreditLedgerOptions();
        options.Plans.Add(new CreditPlan("Allowance", 0m, Allowance));
        await using var reference = CreditLedger.CreateInMemory(options, clock);
        await reference.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Allowance") { AutomationEnabled = true });

        var random = new Random(seed);
        var keys = new List<Reserved>();
        var log = new Queue<string>();
        for (var step = 0; step < 400; step++)
        {
            var now = clock.GetUtcNow();
            var recent = keys.Where(k => now - k.At < TimeSpan.FromMinutes(10)).ToList();
            var op = random.Next(100);
            string what, local, expected;
            if (op < 50 || recent.Count == 0)
            {
                var reserved = op % 5 == 0 && recent.Count > 0 ? Retry(recent[random.Next(recent.Count)], random) : New(step, random, now);
                what = $"reserve {reserved.Request.IdempotencyKey} {reserved.Request.Feature} {reserved.Request.Credits}";
                (local, var localId) = await Reserve(() => remote.ReserveAsync("acme", reserved.Request));
                (expected, var referenceId) = await Reserve(() => reference.ReserveAsync("acme", reserved.Request));
                if (localId is not null && referenceId is not null && !keys.Any(k => k.Request.IdempotencyKey == reserved.Request.IdempotencyKey))
                {
                    keys.Add(reserved with { LocalId = localId, ReferenceId = referenceId });
                }
            }
            else if (op < 75)
            {
                var target = recent[random.Next(recent.Count)];
                long? actual = random.Next(3) == 0 ? random.Next(0, 5) : null;
                what = $"commit {target.Request.IdempotencyKey} {actual}";
                local = await Describe(() => remote.CommitAsync("acme", target.LocalId!, actual), c => $"charged {c.Charged} returned {c.Returned} {c.Reservation.Status} left {c.Balance.Available}");
                expected = await Describe(() => reference.CommitAsync("acme", target.ReferenceId!, actual), c => $"charged {c.Charged} returned {c.Returned} {c.Reservation.Status} left {c.Balance.Available}");
            }
            else if (op < 87)
            {
                var target = recent[random.Next(recent.Count)];
                what = $"release {target.Request.IdempotencyKey}";
                local = await Describe(() => remote.ReleaseAsync("acme", target.LocalId!), r => $"returned {r.Returned} {r.Reservation.Status} left {r.Balance.Available}");
                expected = await Describe(() => reference.ReleaseAsync("acme", target.ReferenceId!), r => $"returned {r.Returned} {r.Reservation.Status} left {r.Balance.Available}");
            }
            else
            {
                var by = s_clockSteps[random.Next(s_clockSteps.Length)];
                clock.Advance(by);
                log.Enqueue($"{step}: clock +{by}");
                continue;
            }

            log.Enqueue($"{step}: {what} -> {expected}");
            if (log.Count > 12)
            {
                log.Dequeue();
            }

            Assert.True(expected == local, $"Step {step}, {what}: the ledger answers '{expected}', the local grant '{local}'. Before:\n{string.Join('\n', log)}");
        }

        // What is still held is released on both, so every local grant is complete when the service is back.
        foreach (var held in keys)
        {
            if ((await reference.GetReservationAsync("acme", held.ReferenceId!))?.Status == ReservationStatus.Held)
            {
                var local = await Describe(() => remote.ReleaseAsync("acme", held.LocalId!), r => $"returned {r.Returned} {r.Reservation.Status}");
                var expected = await Describe(() => reference.ReleaseAsync("acme", held.ReferenceId!), r => $"returned {r.Returned} {r.Reservation.Status}");
                Assert.True(expected == local, $"Releasing {held.Request.IdempotencyKey} at the end: the ledger answers '{expected}', the local grant '{local}'.");
            }
        }

        // Back: the next call that reaches the service starts charging what was used while it was away.
        var referenceUsed = (await reference.GetBalanceAsync("acme")).Used;
        Assert.Equal(referenceUsed, remote.UnreconciledCredits);
        faults.Down = false;
        var probe = await remote.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "back") { Credits = 1 });
        await remote.ReleaseAsync("acme", probe.Reservation!.Id);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (remote.UnreconciledCredits > 0)
            {
                await Task.Delay(10, timeout.Token);
            }
        }

        var charged = await server.Ledger.GetBalanceAsync("acme");
        Assert.Equal((referenceUsed, 0L), (charged.Used, charged.Held));
        Assert.True((await server.Ledger.VerifyAsync("acme")).IsConsistent);
    }

    [Theory]
    [InlineData(208)]
    [InlineData(209)]
    [InlineData(260)]
    public async Task ThroughOutagesAndLostReplies_TheServiceChargesExactlyWhatCallersWereTold(int seed)
    {
        await using var server = await ServerHarness.StartAsync();
        var key = await server.CreateWorkspaceAsync("acme", "Growth");
        var clock = new FakeTimeProvider(server.Clock.GetUtcNow());
        var faults = new FaultInjectingHandler(seed, dropBefore: 0.1, dropAfter: 0.1) { InnerHandler = new HttpClientHandler() };
        using var http = new HttpClient(faults);
        var remote = server.FailOpenLedger(http, key, allowance: 20, clock);

        var random = new Random(seed);
        var open = new List<(string Id, long? Actual, bool Release)>();
        var unsure = new List<(string Id, long? Actual, bool Release)>();
        long told = 0;
        var (local, remoteGrants) = (0, 0);

        // Completes a commit or release; false when the caller cannot know whether it was applied (it retries later).
        async Task<bool> CompleteAsync((string Id, long? Actual, bool Release) call)
        {
            try
            {
                if (call.Release)
                {
                    await remote.ReleaseAsync("acme", call.Id);
                }
                else
                {
                    told += (await remote.CommitAsync("acme", call.Id, call.Actual)).Charged;
                }
            }
            catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.LedgerUnavailable)
            {
                return false;
            }
            catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.ReservationExpired)
            {
                // Too late: its credits went back, nothing was charged.
            }

            return true;
        }

        for (var step = 0; step < 300; step++)
        {
            var op = random.Next(100);
            if (op < 10)
            {
                faults.Down = !faults.Down;
            }
            else if (op < 55 || open.Count == 0)
            {
                var feature = s_features[random.Next(s_features.Length)];
                long? credits = random.Next(2) == 0 ? random.Next(1, 4) : null;
                try
                {
                    var reserved = await remote.ReserveAsync("acme", new ReservationRequest(feature, $"k{step}") { Credits = credits });
                    var held = reserved.Reservation!;
                    _ = held.Id.StartsWith("local_", StringComparison.Ordinal) ? local++ : remoteGrants++;
                    open.Add((held.Id, random.Next(3) == 0 ? random.Next(0, (int)held.Credits + 1) : null, random.Next(5) == 0));
                }
                catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.LedgerUnavailable)
                {
                    // Neither reachable nor within the allowance: the call is refused, nothing to complete.
                }
            }
            else if (op < 95)
            {
                var call = open[random.Next(open.Count)];
                open.Remove(call);
                if (!await CompleteAsync(call))
                {
                    unsure.Add(call);
                }
            }
            else
            {
                var by = TimeSpan.FromSeconds(random.Next(1, 90));
                clock.Advance(by);
                server.Clock.Advance(by);
            }
        }

        // The service back for good: every call is completed, retrying those whose answer was lost, and what was
        // used while it was away is charged.
        faults.Down = false;
        var pending = open.Concat(unsure).ToList();
        for (var attempt = 0; pending.Count > 0 || remote.UnreconciledCredits > 0; attempt++)
        {
            Assert.True(attempt < 200, $"{pending.Count} calls not completed and {remote.UnreconciledCredits} credits not charged after 200 attempts.");
            var left = new List<(string Id, long? Actual, bool Release)>();
            foreach (var call in pending)
            {
                if (!await CompleteAsync(call))
                {
                    left.Add(call);
                }
            }

            pending = left;
            try
            {
                var probe = await remote.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, $"probe{attempt}") { Credits = 1 });
                if (!await CompleteAsync((probe.Reservation!.Id, null, true)))
                {
                    pending.Add((probe.Reservation.Id, null, true));
                }
            }
            catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.LedgerUnavailable)
            {
            }

            await Task.Delay(5);
        }

        Assert.True(local > 10 && remoteGrants > 10, $"{local} local and {remoteGrants} remote grants.");
        server.Clock.Advance(TimeSpan.FromMinutes(10));
        var charged = await server.Ledger.GetBalanceAsync("acme");
        Assert.Equal((told, 0L), (charged.Used, charged.Held));
        Assert.True((await server.Ledger.VerifyAsync("acme")).IsConsistent);
    }

    private static Reserved New(int step, Random random, DateTimeOffset now)
    {
        var feature = s_features[random.Next(s_features.Length)];
        long? credits = random.Next(2) == 0 ? random.Next(1, 5) : null;
        return new Reserved(new ReservationRequest(feature, $"k{step}") { Credits = credits }, now);
    }

    private static Reserved Retry(Reserved previous, Random random) => random.Next(4) switch
    {
        0 => previous with { Request = previous.Request with { Credits = (previous.Request.Credits ?? 1) + 1 } },
        1 => previous with { Request = previous.Request with { Feature = previous.Request.Feature == AiFeature.Classification ? AiFeature.ReplySuggestion : AiFeature.Classification } },
        _ => previous,
    };

    private static async Task<(string Outcome, string? Id)> Reserve(Func<ValueTask<CreditReservationResult>> call)
    {
        string? id = null;
        var outcome = await Describe(call, r =>
        {
            if (r.Reservation is null)
            {
                // The local allowance cannot tell a pause from an outage: it refuses by failing as unavailable.
                return r.Denial?.Reason == CreditDenialReason.CreditsExhausted ? "no credits" : $"denied {r.Denial?.Reason}";
            }

            id = r.Reservation.Id;
            return $"reservation {r.Reservation.Status} {r.Reservation.Feature} {r.Reservation.Credits} left {r.Balance.Available}";
        });
        return (outcome == $"error {CreditLedgerError.LedgerUnavailable}" ? "no credits" : outcome, id);
    }

    private static async Task<string> Describe<T>(Func<ValueTask<T>> call, Func<T, string> describe)
    {
        try
        {
            return describe(await call());
        }
        catch (CreditLedgerException ex)
        {
            return $"error {ex.Error}";
        }
        catch (ArgumentException ex)
        {
            return $"error {ex.GetType().Name}";
        }
    }

    private sealed record Reserved(ReservationRequest Request, DateTimeOffset At, string? LocalId = null, string? ReferenceId = null);
}
