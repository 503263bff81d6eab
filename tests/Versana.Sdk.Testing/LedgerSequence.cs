using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Versana.Sdk.Testing;

/// <summary>
/// A long seeded sequence of every decision, mixed with the clock moving by seconds to days, run on a ledger under
/// test and on an in-memory reference side by side: each reply is checked against what the rules say it must be,
/// each balance must add up, and the ledger under test must answer exactly as the reference does. A store is
/// plumbing under one rules engine, and the credits API a wire over it, so any difference is state lost or changed
/// on its way to disk, or over HTTP, and back.
/// </summary>
public sealed class LedgerSequence
{
    private static readonly AiFeature[] s_features =
        [AiFeature.ReplySuggestion, AiFeature.ConversationSummary, AiFeature.Classification, AiFeature.AutomatedResponse];

    // A catalog a tenth of the default, so months and packs run out within a sequence and boost credits get held.
    private static readonly Dictionary<string, long> s_planCredits = new() { ["Solo"] = 0, ["Starter"] = 300, ["Growth"] = 1_000, ["Scale"] = 3_000 };

    private static readonly long[] s_packSizes = [100, 500, 2_000];

    private static readonly TimeSpan[] s_clockSteps =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(25),
        TimeSpan.FromHours(2), TimeSpan.FromHours(9), TimeSpan.FromDays(1), TimeSpan.FromDays(6),
    ];

    private readonly ICreditLedger _ledger;
    private readonly ICreditLedger _reference;
    private readonly FakeTimeProvider _clock;
    private readonly string _workspaceId;
    private readonly string _timeZone;
    private readonly SequenceModel _model;

    private LedgerSequence(ICreditLedger ledger, ICreditLedger reference, FakeTimeProvider clock, string workspaceId, string timeZone, int seed, bool packsExpire)
    {
        _ledger = ledger;
        _reference = reference;
        _clock = clock;
        _workspaceId = workspaceId;
        _timeZone = timeZone;
        _model = new SequenceModel(new Random(seed), packsExpire);
    }

    /// <summary>
    /// Runs a sequence on a workspace the ledger under test already has, against an in-memory reference created here
    /// with the same options and <paramref name="settings"/> on the same clock.
    /// </summary>
    /// <param name="ledger">The ledger under test, configured as <see cref="Configure"/> does.</param>
    /// <param name="clock">The clock the ledger reads.</param>
    /// <param name="settings">The workspace's settings, on a plan of <see cref="Configure"/>'s catalog.</param>
    /// <param name="seed">The seed: the same seed makes the same sequence.</param>
    /// <param name="packsExpire">Whether the ledger was configured with boost packs that expire.</param>
    /// <param name="steps">The number of steps.</param>
    /// <returns>A task that completes when the sequence and its final comparisons passed.</returns>
    public static async Task RunAgainstReferenceAsync(ICreditLedger ledger, FakeTimeProvider clock, WorkspaceSettings settings, int seed, bool packsExpire, int steps = 300)
    {
        await using var reference = CreditLedger.CreateInMemory(CreateOptions(packsExpire), clock);
        await reference.CreateWorkspaceAsync(settings);
        await new LedgerSequence(ledger, reference, clock, settings.WorkspaceId, settings.TimeZoneId ?? "UTC", seed, packsExpire).RunAsync(steps);
    }

    /// <summary>Creates ledger options as <see cref="Configure"/> sets them.</summary>
    public static CreditLedgerOptions CreateOptions(bool packsExpire)
    {
        var options = new CreditLedgerOptions();
        Configure(options, packsExpire);
        return options;
    }

    /// <summary>Sets the options the sequence assumes: a small plan catalog and pack sizes, and packs that expire after 3 hours or never.</summary>
    public static void Configure(CreditLedgerOptions options, bool packsExpire)
    {
        options.Plans.Clear();
        foreach (var (name, credits) in s_planCredits)
        {
            options.Plans.Add(new CreditPlan(name, 0m, credits));
        }

        options.BoostPackSizes.Clear();
        foreach (var size in s_packSizes)
        {
            options.BoostPackSizes.Add(size);
        }

        options.BoostPackLifetime = packsExpire ? TimeSpan.FromHours(3) : null;
    }

    /// <summary>Runs <paramref name="steps"/> steps, then compares both audit trails entry by entry.</summary>
    private async Task RunAsync(int steps)
    {
        var started = _clock.GetUtcNow();
        var last = Assert.IsType<CreditBalance>(await Both(l => l.GetBalanceAsync(_workspaceId)));
        for (var step = 0; step < steps; step++)
        {
            _model.Step = step;
            _model.ExpireDue(_clock.GetUtcNow());

            // Most steps read the balance at the same instant first, so the decision's exact effect is known.
            CreditBalance? before = null;
            if (_model.Random.Next(5) > 0)
            {
                before = Assert.IsType<CreditBalance>(await Both(l => l.GetBalanceAsync(_workspaceId)));
                _model.AssertAddsUp(before, "balance read");
            }

            var op = _model.Random.Next(100);
            if (op < 35)
            {
                await ReserveStep(before);
            }
            else if (op < 57)
            {
                await CommitStep(before);
            }
            else if (op < 67)
            {
                await ReleaseStep(before);
            }
            else if (op < 72)
            {
                await BoostStep(before);
            }
            else if (op < 76)
            {
                await PlanStep(before);
            }
            else if (op < 80)
            {
                await SettingsStep(before);
            }
            else
            {
                _clock.Advance(s_clockSteps[_model.Random.Next(s_clockSteps.Length)]);
            }

            var after = Assert.IsType<CreditBalance>(await Both(l => l.GetBalanceAsync(_workspaceId)));
            _model.AssertAddsUp(after, "after the step");
            _model.AssertPeriod(after, last, _clock.GetUtcNow(), _timeZone);
            last = after;
            if (step % 60 == 59)
            {
                await AssertConsistent(_ledger);
            }
        }

        await AssertConsistent(_ledger);
        await AssertConsistent(_reference);
        var ledger = _ledger;
        var entries = await ReadAllEntriesAsync(ledger);
        var referenceEntries = await ReadAllEntriesAsync(_reference);
        Assert.Equal(referenceEntries.Select(Describe), entries.Select(Describe));

        Assert.Equal(_model.Charged, entries.Where(e => e.Kind == LedgerEntryKind.Committed).Sum(e => e.Credits));

        // Usage by local day and feature over the whole sequence: each store finds the commits its own way.
        var zone = TimeZoneInfo.FindSystemTimeZoneById(_timeZone);
        var from = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(started, zone).DateTime);
        var to = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), zone).DateTime);
        var usage = await _reference.GetUsageAsync(_workspaceId, from, to);
        Assert.Equal(Normalize(usage), Normalize(await ledger.GetUsageAsync(_workspaceId, from, to)));
        Assert.Equal(_model.Charged, usage.TotalCredits);
        Assert.Equal(usage.TotalCredits, usage.ByDay.Sum(d => d.Credits));
        Assert.True(_model.Decisions > steps / 2, $"Only {_model.Decisions} decisions of {steps} steps were checked against the rules.");
    }

    private async Task<List<LedgerEntry>> ReadAllEntriesAsync(ICreditLedger ledger)
    {
        var entries = new List<LedgerEntry>();
        while (await ledger.GetEntriesAsync(_workspaceId, entries.Count, 1_000) is { Count: > 0 } page)
        {
            entries.AddRange(page);
        }

        return entries;
    }

    private async Task AssertConsistent(ICreditLedger ledger)
    {
        var verification = await ledger.VerifyAsync(_workspaceId);
        Assert.True(verification.IsConsistent, string.Join("; ", verification.Differences));
    }

    private async Task ReserveStep(CreditBalance? before)
    {
        var random = _model.Random;
        var retried = _model.Reservations.Count > 0 && random.Next(4) == 0 ? _model.Reservations[random.Next(_model.Reservations.Count)] : null;
        var feature = retried is not null && random.Next(10) < 7 ? retried.Feature : s_features[random.Next(s_features.Length)];
        long? credits = random.Next(20) switch
        {
            < 7 => null,
            < 14 => random.Next(1, 41),
            _ => random.Next(100, 601),
        };
        if (retried is not null && random.Next(2) == 0)
        {
            credits = retried.Credits;
        }

        TimeSpan? ttl = random.Next(2) == 0 ? null : TimeSpan.FromSeconds(random.Next(10, 3_600));
        var request = new ReservationRequest(feature, retried?.Key ?? $"k{_model.Step}") { Credits = credits, Ttl = ttl };
        var reply = await Both(l => l.ReserveAsync(_workspaceId, request));

        if (retried is not null)
        {
            if (feature != retried.Feature || (credits is not null && credits != retried.Credits))
            {
                AssertRefused(reply, CreditLedgerError.IdempotencyKeyReused);
                return;
            }

            var again = Assert.IsType<CreditReservationResult>(reply);
            Assert.Equal(retried.Id, again.Reservation?.Id);
            Assert.Equal(retried.Status, again.Reservation!.Status);
            AssertUnchanged(before, again.Balance);
            _model.Decisions++;
            return;
        }

        var result = Assert.IsType<CreditReservationResult>(reply);
        var cost = credits ?? _model.CostOf(feature);
        if (result.Reservation is not { } reservation)
        {
            AssertUnchanged(before, result.Balance);
            if (before is not null)
            {
                var expected = !SequenceModel.PlanIncludesAi(before.Plan) ? CreditDenialReason.PlanExcludesAi
                    : feature == AiFeature.AutomatedResponse && !before.AutomationEnabled ? CreditDenialReason.AutomationNotActivated
                    : CreditDenialReason.CreditsExhausted;
                Assert.Equal(expected, result.Denial!.Reason);
                Assert.True(expected != CreditDenialReason.CreditsExhausted || cost > before.Available, $"{cost} credits were refused with {before.Available} available.");
                _model.Decisions++;
            }

            return;
        }

        Assert.Equal(cost, reservation.Credits);
        Assert.Equal(ReservationStatus.Held, reservation.Status);
        _model.Reservations.Add(new TrackedReservation(reservation.Id, request.IdempotencyKey, feature, cost, reservation.ExpiresAt, reservation.PeriodStart));
        if (before is not null)
        {
            var allowed = SequenceModel.PlanIncludesAi(before.Plan) && (feature != AiFeature.AutomatedResponse || before.AutomationEnabled);
            Assert.True(allowed && cost <= before.Available, $"{cost} credits for {feature} were granted with {before.Available} available on {before}.");
            Assert.Equal(before.Available - cost, result.Balance.Available);
            Assert.Equal(before.Held + cost, result.Balance.Held);
            _model.Decisions++;
        }
    }

    private async Task CommitStep(CreditBalance? before)
    {
        if (_model.Pick() is not { } tracked)
        {
            return;
        }

        var random = _model.Random;
        long? actual = random.Next(10) switch
        {
            < 4 => null,
            < 9 => random.Next(0, (int)tracked.Credits + 1),
            _ => tracked.Credits + 1,
        };
        var reply = await Both(l => l.CommitAsync(_workspaceId, tracked.Id, actual));

        switch (tracked.Status)
        {
            case ReservationStatus.Held when actual > tracked.Credits:
                Assert.Equal(nameof(ArgumentException), reply);
                break;

            case ReservationStatus.Held:
                var commit = Assert.IsType<CommitResult>(reply);
                var charged = actual ?? tracked.Credits;
                Assert.Equal(charged, commit.Charged);
                Assert.Equal(tracked.Credits - charged, commit.Returned);
                tracked.Status = ReservationStatus.Committed;
                tracked.Committed = charged;
                _model.Charged += charged;
                if (before is not null)
                {
                    _model.AssertGivenBack(before, commit.Balance, tracked, commit.Returned);
                }

                break;

            case ReservationStatus.Committed when actual is null || actual == tracked.Committed:
                var retried = Assert.IsType<CommitResult>(reply);
                Assert.Equal(tracked.Committed, retried.Charged);
                AssertUnchanged(before, retried.Balance);
                break;

            case ReservationStatus.Expired:
                AssertRefused(reply, CreditLedgerError.ReservationExpired);
                break;

            default:
                AssertRefused(reply, CreditLedgerError.ReservationAlreadyCompleted);
                break;
        }

        _model.Decisions++;
    }

    private async Task ReleaseStep(CreditBalance? before)
    {
        if (_model.Pick() is not { } tracked)
        {
            return;
        }

        var reply = await Both(l => l.ReleaseAsync(_workspaceId, tracked.Id));
        switch (tracked.Status)
        {
            case ReservationStatus.Held:
                var release = Assert.IsType<ReleaseResult>(reply);
                Assert.Equal(tracked.Credits, release.Returned);
                tracked.Status = ReservationStatus.Released;
                if (before is not null)
                {
                    _model.AssertGivenBack(before, release.Balance, tracked, tracked.Credits);
                }

                break;

            case ReservationStatus.Released or ReservationStatus.Expired:
                var again = Assert.IsType<ReleaseResult>(reply);
                Assert.Equal(tracked.Status == ReservationStatus.Released ? tracked.Credits : 0, again.Returned);
                AssertUnchanged(before, again.Balance);
                break;

            default:
                AssertRefused(reply, CreditLedgerError.ReservationAlreadyCompleted);
                break;
        }

        _model.Decisions++;
    }

    private async Task BoostStep(CreditBalance? before)
    {
        var random = _model.Random;
        var retried = _model.Purchases.Count > 0 && random.Next(5) == 0 ? _model.Purchases[random.Next(_model.Purchases.Count)] : default;
        var size = retried.Key is not null && random.Next(2) == 0 ? retried.Credits : s_packSizes[random.Next(s_packSizes.Length)];
        var request = new BoostPackRequest(size, retried.Key ?? $"b{_model.Step}");
        var reply = await Both(l => l.PurchaseBoostPackAsync(_workspaceId, request));

        if (retried.Key is not null)
        {
            if (size != retried.Credits)
            {
                AssertRefused(reply, CreditLedgerError.IdempotencyKeyReused);
            }
            else
            {
                AssertUnchanged(before, Assert.IsType<BoostPackPurchase>(reply).Balance);
            }
        }
        else if (reply is string)
        {
            AssertRefused(reply, CreditLedgerError.PlanExcludesAi);
            Assert.True(before is null || !SequenceModel.PlanIncludesAi(before.Plan), "A plan with AI was refused a boost pack.");
        }
        else
        {
            var purchase = Assert.IsType<BoostPackPurchase>(reply);
            _model.Purchases.Add((request.IdempotencyKey, size));
            if (before is not null)
            {
                Assert.True(SequenceModel.PlanIncludesAi(before.Plan));
                Assert.Equal(before.BoostRemaining + size, purchase.Balance.BoostRemaining);
                Assert.Equal(before.Available + size, purchase.Balance.Available);
                Assert.False(purchase.Balance.Paused);
            }
        }

        _model.Decisions++;
    }

    private async Task PlanStep(CreditBalance? before)
    {
        // Mostly back to Starter, so upgrades do not leave the rest of the sequence with credits to spare.
        string[] plans = ["Solo", "Starter", "Starter", "Starter", "Growth", "Scale"];
        var target = plans[_model.Random.Next(plans.Length)];
        var change = Assert.IsType<PlanChangeResult>(await Both(l => l.ChangePlanAsync(_workspaceId, target)));
        if (before is null)
        {
            return;
        }

        var balance = change.Balance;
        if (target == before.Plan)
        {
            Assert.Null(balance.PendingPlan);
            Assert.Equal(before.Allocation, balance.Allocation);
        }
        else if (s_planCredits[target] >= s_planCredits[before.Plan])
        {
            Assert.Equal(target, balance.Plan);
            Assert.Null(balance.PendingPlan);
            Assert.Equal(s_planCredits[target], balance.Allocation);
            Assert.Equal(before.Used, balance.Used);
        }
        else
        {
            Assert.Equal(before.Plan, balance.Plan);
            Assert.Equal(target, balance.PendingPlan);
            Assert.Equal(before.Allocation, balance.Allocation);
            Assert.Equal(before.PeriodEnd, change.EffectiveAt);
        }

        _model.Decisions++;
    }

    private async Task SettingsStep(CreditBalance? before)
    {
        var random = _model.Random;
        WorkspaceSettingsUpdate update;
        if (random.Next(3) == 0)
        {
            var costs = random.Next(3) == 0
                ? new Dictionary<AiFeature, long>()
                : new Dictionary<AiFeature, long> { [AiFeature.ReplySuggestion] = random.Next(1, 4), [AiFeature.AutomatedResponse] = random.Next(1, 5) };
            update = new WorkspaceSettingsUpdate { Costs = costs };
            _model.Costs = costs;
        }
        else
        {
            update = new WorkspaceSettingsUpdate { AutomationEnabled = random.Next(2) == 0 };
        }

        var balance = Assert.IsType<CreditBalance>(await Both(l => l.UpdateSettingsAsync(_workspaceId, update)));
        if (update.AutomationEnabled is { } enabled)
        {
            Assert.Equal(enabled, balance.AutomationEnabled);
        }

        if (before is not null)
        {
            Assert.Equal(before.Available, balance.Available);
            _model.Decisions++;
        }
    }

    /// <summary>Runs one call on the store under test and on the reference; both must answer alike. Returns the reply, or the refusal's name.</summary>
    private async Task<object> Both<T>(Func<ICreditLedger, ValueTask<T>> call)
        where T : notnull
    {
        var actual = await Outcome(_ledger, call);
        var expected = await Outcome(_reference, call);
        Assert.Equal(Normalize(expected), Normalize(actual));
        return actual;
    }

    private static async Task<object> Outcome<T>(ICreditLedger ledger, Func<ICreditLedger, ValueTask<T>> call)
        where T : notnull
    {
        try
        {
            return await call(ledger);
        }
        catch (CreditLedgerException ex)
        {
            return $"{nameof(CreditLedgerException)}:{ex.Error}";
        }
        catch (ArgumentException)
        {
            // Over HTTP every bad argument comes back as a 400, so the subtype is not compared.
            return nameof(ArgumentException);
        }
    }

    /// <summary>A reply as JSON; a boost pack's id is random in every ledger, so it is left out.</summary>
    private static string Normalize(object reply) => reply switch
    {
        string refusal => refusal,
        BoostPackPurchase purchase => JsonSerializer.Serialize(purchase with { BoostId = "" }, VersanaJson.Wire),
        _ => JsonSerializer.Serialize(reply, reply.GetType(), VersanaJson.Wire),
    };

    internal static string Describe(LedgerEntry entry)
        => $"{entry.Sequence} {entry.Kind} {entry.Credits} {entry.ReservationId} {entry.Feature} {entry.Percent} {entry.Plan} {entry.PeriodStart:O} {entry.At:O}";

    private static void AssertRefused(object reply, CreditLedgerError error)
        => Assert.Equal($"{nameof(CreditLedgerException)}:{error}", reply);

    private static void AssertUnchanged(CreditBalance? before, CreditBalance after)
    {
        if (before is not null)
        {
            Assert.Equal(before, after);
        }
    }

    private sealed class TrackedReservation(string id, string key, AiFeature feature, long credits, DateTimeOffset expiresAt, DateTimeOffset periodStart)
    {
        public string Id { get; } = id;

        public string Key { get; } = key;

        public AiFeature Feature { get; } = feature;

        public long Credits { get; } = credits;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public DateTimeOffset PeriodStart { get; } = periodStart;

        public ReservationStatus Status { get; set; } = ReservationStatus.Held;

        public long? Committed { get; set; }
    }

    /// <summary>What the test knows independently of the ledger, and the rules it checks replies against.</summary>
    private sealed class SequenceModel(Random random, bool packsExpire)
    {
        public Random Random { get; } = random;

        public int Step { get; set; }

        public int Decisions { get; set; }

        public long Charged { get; set; }

        public List<TrackedReservation> Reservations { get; } = [];

        public List<(string Key, long Credits)> Purchases { get; } = [];

        public Dictionary<AiFeature, long> Costs { get; set; } = [];

        public static bool PlanIncludesAi(string plan) => s_planCredits[plan] > 0;

        public long CostOf(AiFeature feature)
            => Costs.TryGetValue(feature, out var cost) ? cost : feature == AiFeature.AutomatedResponse ? 2 : 1;

        /// <summary>The ledger releases every reservation past its TTL the moment anything touches the workspace.</summary>
        public void ExpireDue(DateTimeOffset now)
        {
            foreach (var reservation in Reservations)
            {
                if (reservation.Status == ReservationStatus.Held && reservation.ExpiresAt <= now)
                {
                    reservation.Status = ReservationStatus.Expired;
                }
            }
        }

        /// <summary>Picks a reservation to complete, open ones more often.</summary>
        public TrackedReservation? Pick()
        {
            var open = Reservations.Where(r => r.Status == ReservationStatus.Held).ToList();
            var from = open.Count > 0 && Random.Next(3) > 0 ? open : Reservations;
            return from.Count == 0 ? null : from[Random.Next(from.Count)];
        }

        public void AssertAddsUp(CreditBalance balance, string when)
        {
            var what = $"step {Step}, {when}: {balance}";
            Assert.True(balance.Available == balance.MonthlyRemaining + balance.BoostRemaining - balance.Held, $"The balance does not add up, {what}");
            Assert.True(balance.Available >= 0 && balance.Held >= 0 && balance.BoostRemaining >= 0, $"A negative figure, {what}");
            Assert.True(balance.Used >= 0 && balance.Used <= balance.Allocation, $"Used outside the allocation, {what}");
            Assert.Equal(balance.Allocation - balance.Used, balance.MonthlyRemaining);

            var cheapest = s_features.Where(f => f != AiFeature.AutomatedResponse || balance.AutomationEnabled).Min(CostOf);
            var pause = !PlanIncludesAi(balance.Plan) ? CreditDenialReason.PlanExcludesAi
                : balance.Available < cheapest ? CreditDenialReason.CreditsExhausted
                : (CreditDenialReason?)null;
            Assert.True(pause == balance.PauseReason && balance.Paused == pause is not null, $"Paused should be {pause?.ToString() ?? "no"}, {what}");
            var resumes = pause == CreditDenialReason.CreditsExhausted && PlanIncludesAi(balance.PendingPlan ?? balance.Plan);
            Assert.Equal(resumes ? balance.PeriodEnd : null, balance.ResumesAt);

            // Held counts every open reservation of this period; one from an earlier period only for its boost credits.
            var open = Reservations.Where(r => r.Status == ReservationStatus.Held && r.ExpiresAt > balance.AsOf).ToList();
            var heldNow = open.Where(r => r.PeriodStart == balance.PeriodStart).Sum(r => r.Credits);
            Assert.True(balance.Held >= heldNow && balance.Held <= open.Sum(r => r.Credits), $"Held should be between {heldNow} and {open.Sum(r => r.Credits)}, {what}");
        }

        /// <summary>A commit or release gives back what it returns: exactly, unless it comes from an earlier period or a lapsed pack.</summary>
        public void AssertGivenBack(CreditBalance before, CreditBalance after, TrackedReservation reservation, long returned)
        {
            var what = $"step {Step}: {before} -> {after}";
            if (reservation.PeriodStart == before.PeriodStart)
            {
                Assert.True(after.Held == before.Held - reservation.Credits, $"Held should drop by {reservation.Credits}, {what}");
            }

            if (reservation.PeriodStart == before.PeriodStart && !packsExpire)
            {
                Assert.True(after.Available == before.Available + returned, $"Available should rise by {returned}, {what}");
            }
            else
            {
                Assert.True(after.Available >= before.Available && after.Available <= before.Available + returned, $"Available should rise by at most {returned}, {what}");
            }
        }

        /// <summary>The period is the calendar month in the workspace's zone; a new one starts on the new plan, with nothing used.</summary>
        public void AssertPeriod(CreditBalance balance, CreditBalance previous, DateTimeOffset now, string timeZone)
        {
            Assert.True(balance.PeriodStart <= now && now < balance.PeriodEnd, $"step {Step}: {now:O} is outside {balance.PeriodStart:O}..{balance.PeriodEnd:O}");
            var local = TimeZoneInfo.ConvertTime(balance.PeriodStart, TimeZoneInfo.FindSystemTimeZoneById(timeZone));
            Assert.True(local.Day == 1, $"step {Step}: the period starts on {local:O}, not on the 1st");
            if (timeZone == "UTC")
            {
                Assert.Equal(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero), balance.PeriodStart);
            }

            if (balance.PeriodStart != previous.PeriodStart)
            {
                var plan = previous.PendingPlan ?? previous.Plan;
                Assert.Equal(plan, balance.Plan);
                Assert.Equal(s_planCredits[plan], balance.Allocation);
                Assert.Equal(0, balance.Used);
            }
        }
    }
}
