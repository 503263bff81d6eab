using System.Globalization;
using System.Text;

namespace Versana.Sdk.Tests.Guard;

/// <summary>
/// Seeded sequences of what an app does through the guard — calls that succeed, fail, report a lower cost or run a
/// guarded call inside another; boost packs, plan and settings changes; the clock moving across refreshes — next to
/// the same operations on a second ledger that has no cache. The guard must decide as that ledger does, and charge
/// what it charges.
/// </summary>
/// <remarks>
/// The one difference allowed is the documented one: after a change made by another process (this one learns of it
/// only from a later reply), a remembered refusal may still be served until the memo's maximum age.
/// </remarks>
public sealed class GuardSequenceTests
{
    private const string FailedCall = "the AI call failed";

    /// <param name="seed">The sequence's seed.</param>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public Task TheGuardDecidesAndChargesAsALedgerWithoutACache(int seed) => RunAsync(seed, null, packsExpire: false);

    /// <summary>Refreshes at a local midnight with a half-hour offset, and boost packs that lapse by themselves (no reply says so).</summary>
    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public Task TheGuardDecidesAndChargesAsALedgerWithoutACache_InAnotherTimeZone_WithPacksThatExpire(int seed) => RunAsync(seed, "Asia/Kolkata", packsExpire: true);

    private static async Task RunAsync(int seed, string? timeZoneId, bool packsExpire)
    {
        CreditLedgerOptions Options() => new() { BoostPackLifetime = packsExpire ? TimeSpan.FromHours(3) : null };
        await using var h = await GuardHarness.CreateAsync(ledgerOptions: Options(), timeZoneId: timeZoneId);
        var run = new Run(h, seed, CreditLedger.CreateInMemory(Options(), h.Clock), timeZoneId);
        await run.StartAsync();

        for (var step = 0; step < 600; step++)
        {
            await run.StepAsync(step);
        }
    }

    private sealed class Run(GuardHarness h, int seed, CreditLedger twin, string? timeZoneId)
    {
        private readonly Random _random = new(seed);
        private readonly StringBuilder _log = new();
        private readonly CreditLedger _twin = twin;
        private DateTimeOffset _staleUntil = DateTimeOffset.MinValue;
        private DateTimeOffset _elsewhereAt = DateTimeOffset.MinValue;
        private readonly List<UserAction> _actions = [];
        private readonly List<(string Mine, string Twin)> _holds = [];
        private int _keys;

        private DateTimeOffset Now => h.Clock.GetUtcNow();

        public async Task StartAsync() => await _twin.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter") { AutomationEnabled = true, TimeZoneId = timeZoneId });

        public async Task StepAsync(int step)
        {
            _log.Append(CultureInfo.InvariantCulture, $"{step} @{Now:O}: ");
            var roll = _random.Next(100);
            if (roll < 45)
            {
                await GuardedCallAsync();
            }
            else if (roll < 55)
            {
                await NestedCallAsync();
            }
            else if (roll < 63)
            {
                await SpendAsync(elsewhere: false);
            }
            else if (roll < 67)
            {
                await SpendAsync(elsewhere: true);
            }
            else if (roll < 70)
            {
                await BuyBoostAsync(elsewhere: _random.Next(3) == 0);
            }
            else if (roll < 73)
            {
                await ChangePlanAsync();
            }
            else if (roll < 77)
            {
                await ChangeSettingsAsync();
            }
            else if (roll < 82)
            {
                await CompareCachedBalanceAsync();
            }
            else if (roll < 86)
            {
                await HoldAsync();
            }
            else if (roll < 90)
            {
                await SettleHoldAsync();
            }
            else
            {
                await MoveClockAsync();
            }

            _log.AppendLine();
            await CompareLedgersAsync();
        }

        private AiFeature PickFeature() => TwinSequence.Features[_random.Next(TwinSequence.Features.Length)];

        private AiCallOptions? PickOptions()
            => _random.Next(3) == 0 ? new AiCallOptions { Credits = _random.Next(1, 80) } : null;

        /// <summary>One guarded call: succeeds, fails, or reports a lower cost; through ExecuteAsync or TryExecuteAsync.</summary>
        private async Task GuardedCallAsync()
        {
            var feature = PickFeature();
            var options = PickOptions();
            var outcome = _random.Next(10);
            var throwing = _random.Next(2) == 0;

            // A user action retried with its key (its reply lost, say), or a new one given a key of its own.
            UserAction? retried = null;
            if (_actions.Count > 0 && _random.Next(4) == 0)
            {
                retried = _actions[_random.Next(_actions.Count)];
                feature = retried.Feature;
                options = new AiCallOptions { Credits = retried.Credits, IdempotencyKey = retried.Key };
            }
            else if (_random.Next(4) == 0)
            {
                retried = new UserAction($"action-{seed}-{_actions.Count}", feature, options?.Credits);
                _actions.Add(retried);
                options = new AiCallOptions { Credits = options?.Credits, IdempotencyKey = retried.Key };
            }

            _log.Append(CultureInfo.InvariantCulture, $"call {feature} credits={options?.Credits} key={options?.IdempotencyKey} paid={retried?.Paid} outcome={outcome} {(throwing ? "Execute" : "TryExecute")}");
            if (retried is { Paid: true })
            {
                await PaidRetryAsync(feature, options!, outcome == 0, throwing);
                return;
            }

            var twin = await TwinReserveAsync(feature, options?.Credits);
            long? actual = null;
            Func<CreditGuardContext, CancellationToken, ValueTask<int>> action = (context, _) =>
            {
                if (outcome == 0)
                {
                    throw new InvalidOperationException(FailedCall);
                }

                if (outcome == 1)
                {
                    actual = _random.NextInt64(0, context.Reservation.Credits + 1);
                    context.ReportActualCost(actual.Value);
                }

                return new(1);
            };

            var (denial, failed) = await RunGuardedAsync(feature, action, options, throwing);

            await SettleTwinAsync(twin, denial, failed, actual);
            if (retried is not null && denial is null && !failed)
            {
                retried.Paid = true;
            }

            // The guard gives up on a key after 16 failed attempts: stop retrying it well before.
            if (retried is not null && failed && ++retried.Failures >= 12)
            {
                _actions.Remove(retried);
            }
        }

        /// <summary>
        /// Runs one guarded call through <c>ExecuteAsync</c> (a refusal thrown) or <c>TryExecuteAsync</c> (returned):
        /// the refusal, if any, and whether the action failed.
        /// </summary>
        private async Task<(CreditDenial? Denial, bool Failed)> RunGuardedAsync(AiFeature feature, Func<CreditGuardContext, CancellationToken, ValueTask<int>> action, AiCallOptions? options, bool throwing)
        {
            try
            {
                if (!throwing)
                {
                    return ((await h.Guard.TryExecuteAsync(feature, action, options)).Denial, false);
                }

                await h.Guard.ExecuteAsync(feature, action, options);
                return (null, false);
            }
            catch (AiPausedException paused)
            {
                Assert.NotNull(paused.Denial);
                Assert.Equal(paused.Denial.ResumesAt, paused.ResumesAt);
                return (paused.Denial, false);
            }
            catch (InvalidOperationException ex) when (ex.Message == FailedCall)
            {
                return (null, true);
            }
        }

        /// <summary>
        /// A retry of a user action already paid for: the ledger answers with the committed reservation whatever the
        /// balance is now, so the action runs, and nothing is charged or given back, even if it fails this time.
        /// </summary>
        private async Task PaidRetryAsync(AiFeature feature, AiCallOptions options, bool fails, bool throwing)
        {
            var ran = false;
            Func<CreditGuardContext, CancellationToken, ValueTask<int>> action = (context, _) =>
            {
                ran = true;
                Check(context.Reservation.Status == ReservationStatus.Committed, $"the retry runs on a {context.Reservation.Status} reservation");
                return fails ? throw new InvalidOperationException(FailedCall) : new(1);
            };

            var (denial, _) = await RunGuardedAsync(feature, action, options, throwing);
            _log.Append(CultureInfo.InvariantCulture, $" -> {(denial is null ? "ran" : $"refused {denial.Reason}")}");
            Check(denial is null && ran, $"a retry of an action already paid for was refused for {denial?.Reason}; the ledger answers it with the committed reservation");
        }

        /// <summary>A guarded call for one feature inside a guarded call: the same feature is charged once, another one on its own.</summary>
        private async Task NestedCallAsync()
        {
            var outer = PickFeature();
            var inner = _random.Next(2) == 0 ? outer : PickFeature();
            var innerFails = _random.Next(4) == 0;
            _log.Append(CultureInfo.InvariantCulture, $"nested {outer} > {inner} innerFails={innerFails}");

            var twinOuter = await TwinReserveAsync(outer, null);
            Reply? twinInner = null;
            CreditDenial? innerDenial = null;
            var innerFailed = false;
            var result = await h.Guard.TryExecuteAsync(outer, async (_, token) =>
            {
                if (inner != outer)
                {
                    twinInner = await TwinReserveAsync(inner, null);
                }

                try
                {
                    innerDenial = (await h.Guard.TryExecuteAsync(inner, (_, _) => innerFails ? throw new InvalidOperationException("inner failed") : new ValueTask<int>(2), cancellationToken: token)).Denial;
                }
                catch (InvalidOperationException)
                {
                    innerFailed = true;
                }

                if (twinInner is not null)
                {
                    await SettleTwinAsync(twinInner, innerDenial, innerFailed, null);
                }
                else
                {
                    Assert.Null(innerDenial);
                }

                return 1;
            });

            await SettleTwinAsync(twinOuter, result.Denial, failed: false, null);
            if (result.Denial is not null)
            {
                Assert.Null(twinInner);
            }
        }

        /// <summary>
        /// Credits held across steps through the app's ledger (a long AI call, another component's hold); one that
        /// lapses frees its credits without a reply this process sees, so a refusal remembered may outlive it.
        /// </summary>
        private async Task HoldAsync()
        {
            var feature = PickFeature();
            var credits = _random.Next(1, 400);
            var ttl = TimeSpan.FromSeconds(_random.Next(5, 120));
            var key = NextKey();
            _log.Append(CultureInfo.InvariantCulture, $"hold {credits} {feature} ttl={ttl}");
            var mine = await h.Ledger.ReserveAsync("acme", new ReservationRequest(feature, key) { Credits = credits, Ttl = ttl });
            var twin = await _twin.ReserveAsync("acme", new ReservationRequest(feature, key) { Credits = credits, Ttl = ttl });
            _log.Append(CultureInfo.InvariantCulture, $" -> {mine.Denial?.Reason.ToString() ?? "held"}");
            Check(mine.Denial?.Reason == twin.Denial?.Reason, $"hold: {mine.Denial?.Reason} against the twin's {twin.Denial?.Reason}");
            if (mine.Reservation is { } held)
            {
                _holds.Add((held.Id, twin.Reservation!.Id));
                var lapses = Now + ttl + TimeSpan.FromSeconds(30);
                _staleUntil = lapses > _staleUntil ? lapses : _staleUntil;
            }
        }

        /// <summary>Commits (perhaps less) or releases a hold; one that lapsed is refused alike by both ledgers.</summary>
        private async Task SettleHoldAsync()
        {
            if (_holds.Count == 0)
            {
                _log.Append("no hold");
                return;
            }

            var (mine, twin) = _holds[_random.Next(_holds.Count)];
            _holds.Remove((mine, twin));
            var commit = _random.Next(2) == 0;
            long? actual = _random.Next(3) == 0 ? 1 : null;
            _log.Append(CultureInfo.InvariantCulture, $"{(commit ? "commit" : "release")} hold {mine} actual={actual}");
            await BothAsync(
                async () => await (commit ? CommitAsync(h.Ledger, mine) : ReleaseAsync(h.Ledger, mine)),
                async () => await (commit ? CommitAsync(_twin, twin) : ReleaseAsync(_twin, twin)));

            Task CommitAsync(ICreditLedger ledger, string id) => ledger.CommitAsync("acme", id, actual).AsTask();

            Task ReleaseAsync(ICreditLedger ledger, string id) => ledger.ReleaseAsync("acme", id).AsTask();
        }

        /// <summary>A large reserve+commit through the app's ledger (its reply feeds the cache), or another process's.</summary>
        private async Task SpendAsync(bool elsewhere)
        {
            var balance = await _twin.GetBalanceAsync("acme");
            var credits = Math.Max(1, _random.NextInt64(balance.Available / 2, balance.Available + 20));
            var feature = PickFeature();
            var ledger = elsewhere ? h.Counting.Inner : h.Ledger;
            _log.Append(CultureInfo.InvariantCulture, $"spend {credits} {feature} elsewhere={elsewhere}");
            MarkElsewhere(elsewhere);

            var key = NextKey();
            var mine = await ledger.ReserveAsync("acme", new ReservationRequest(feature, key) { Credits = credits });
            var twin = await _twin.ReserveAsync("acme", new ReservationRequest(feature, key) { Credits = credits });
            Assert.Equal(twin.Denial?.Reason, mine.Denial?.Reason);
            if (mine.Reservation is { } reservation)
            {
                await ledger.CommitAsync("acme", reservation.Id);
                await _twin.CommitAsync("acme", twin.Reservation!.Id);
            }
        }

        private async Task BuyBoostAsync(bool elsewhere)
        {
            var size = _random.Next(4) == 0 ? 5_000 : 1_000;
            _log.Append(CultureInfo.InvariantCulture, $"boost {size} elsewhere={elsewhere}");
            MarkElsewhere(elsewhere);
            var key = NextKey();
            await BothAsync(
                async () => await (elsewhere ? h.Counting.Inner : h.Ledger).PurchaseBoostPackAsync("acme", new BoostPackRequest(size, key)),
                async () => await _twin.PurchaseBoostPackAsync("acme", new BoostPackRequest(size, key)));
        }

        private async Task ChangePlanAsync()
        {
            var plan = TwinSequence.Plans[_random.Next(TwinSequence.Plans.Length)];
            _log.Append(CultureInfo.InvariantCulture, $"plan {plan}");
            await BothAsync(async () => await h.Ledger.ChangePlanAsync("acme", plan), async () => await _twin.ChangePlanAsync("acme", plan));
        }

        private async Task ChangeSettingsAsync()
        {
            var update = _random.Next(2) == 0
                ? new WorkspaceSettingsUpdate { AutomationEnabled = _random.Next(2) == 0 }
                : new WorkspaceSettingsUpdate { Costs = new Dictionary<AiFeature, long> { [PickFeature()] = _random.Next(1, 6) } };
            _log.Append(CultureInfo.InvariantCulture, $"settings automation={update.AutomationEnabled} costs={string.Join(",", update.Costs?.Select(c => $"{c.Key}={c.Value}") ?? [])}");
            await BothAsync(async () => await h.Ledger.UpdateSettingsAsync("acme", update), async () => await _twin.UpdateSettingsAsync("acme", update));
        }

        /// <summary>The cached balance, when it is a reply from this instant and nothing changed elsewhere since, is the ledger's.</summary>
        private async Task CompareCachedBalanceAsync()
        {
            _log.Append("cached balance");
            var cached = await h.Guard.GetBalanceAsync();
            if (cached.AsOf == Now && _elsewhereAt != Now)
            {
                AssertSame(await _twin.GetBalanceAsync("acme"), cached, "cached balance");
            }
        }

        private async Task MoveClockAsync()
        {
            var roll = _random.Next(10);
            var by = roll switch
            {
                < 4 => TimeSpan.FromSeconds(1),
                < 6 => TimeSpan.FromSeconds(20),
                < 8 => TimeSpan.FromSeconds(45),
                8 => TimeSpan.FromHours(_random.Next(1, 100)),
                _ => TimeSpan.Zero,
            };

            if (by == TimeSpan.Zero)
            {
                // To just after the next refresh (or exactly onto it).
                var end = (await _twin.GetBalanceAsync("acme")).PeriodEnd;
                by = end - Now + TimeSpan.FromSeconds(_random.Next(2));
            }

            _log.Append(CultureInfo.InvariantCulture, $"clock +{by}");
            h.Clock.Advance(by);
        }

        /// <summary>Runs one change on both ledgers: both succeed, or both refuse it with the same error.</summary>
        private async Task BothAsync(Func<Task> mine, Func<Task> twin)
        {
            var mineError = await TwinSequence.ErrorOfAsync(mine);
            var twinError = await TwinSequence.ErrorOfAsync(twin);
            _log.Append(CultureInfo.InvariantCulture, $" -> {mineError?.ToString() ?? "done"}");
            Check(mineError == twinError, $"the app's ledger answered {mineError?.ToString() ?? "done"}, the twin {twinError?.ToString() ?? "done"}");
        }

        private void MarkElsewhere(bool elsewhere)
        {
            if (elsewhere)
            {
                _elsewhereAt = Now;
                _staleUntil = Now + TimeSpan.FromSeconds(30) > _staleUntil ? Now + TimeSpan.FromSeconds(30) : _staleUntil;
            }
        }

        private string NextKey() => $"seq-{seed}-{_keys++}";

        private async Task<Reply> TwinReserveAsync(AiFeature feature, long? credits)
            => new(await _twin.ReserveAsync("acme", new ReservationRequest(feature, NextKey()) { Credits = credits }));

        /// <summary>Checks the guard's outcome against the twin's, then commits or releases the twin's reservation alike.</summary>
        private async Task SettleTwinAsync(Reply twin, CreditDenial? denial, bool failed, long? actual)
        {
            var result = twin.Result;
            if (denial is not null)
            {
                _log.Append(CultureInfo.InvariantCulture, $" -> refused {denial.Reason} (twin: {result.Denial?.Reason.ToString() ?? "granted"})");
                if (result.Denial is { } twinDenial)
                {
                    if (Now >= _staleUntil)
                    {
                        Check(twinDenial.Reason == denial.Reason, $"refused for {denial.Reason}, the ledger without a cache for {twinDenial.Reason}");
                    }
                }
                else
                {
                    Check(Now < _staleUntil, $"refused {denial.Feature} for {denial.Reason}; the ledger without a cache grants it");
                    await _twin.ReleaseAsync("acme", result.Reservation!.Id);
                }

                return;
            }

            Check(result.Denial is null, $"granted; the ledger without a cache refuses it for {result.Denial?.Reason}");
            _log.Append(failed ? " -> failed" : $" -> charged {actual?.ToString(CultureInfo.InvariantCulture) ?? "all"}");
            if (failed)
            {
                await _twin.ReleaseAsync("acme", result.Reservation!.Id);
            }
            else
            {
                await _twin.CommitAsync("acme", result.Reservation!.Id, actual);
            }
        }

        private async Task CompareLedgersAsync()
        {
            var mine = await h.Counting.Inner.GetBalanceAsync("acme");
            var twin = await _twin.GetBalanceAsync("acme");
            AssertSame(twin, mine, "ledger balance");
        }

        private void AssertSame(CreditBalance expected, CreditBalance actual, string what)
        {
            Check(
                expected.Used == actual.Used && expected.Held == actual.Held && expected.MonthlyRemaining == actual.MonthlyRemaining
                    && expected.BoostRemaining == actual.BoostRemaining && expected.Available == actual.Available
                    && expected.Paused == actual.Paused && expected.PauseReason == actual.PauseReason && expected.ResumesAt == actual.ResumesAt
                    && expected.Plan == actual.Plan && expected.PendingPlan == actual.PendingPlan && expected.AutomationEnabled == actual.AutomationEnabled,
                $"{what}: expected {expected}, got {actual}");
        }

        private void Check(bool condition, string message)
        {
            if (!condition)
            {
                Assert.Fail($"seed {seed}: {message}\n{TailOfLog()}");
            }
        }

        private string TailOfLog()
        {
            var lines = _log.ToString().Split('\n');
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 25)));
        }

        private sealed record Reply(CreditReservationResult Result);

        /// <summary>A user action the app gave a key, so it can retry it.</summary>
        private sealed class UserAction(string key, AiFeature feature, long? credits)
        {
            public string Key { get; } = key;

            public AiFeature Feature { get; } = feature;

            public long? Credits { get; } = credits;

            public bool Paid { get; set; }

            public int Failures { get; set; }
        }
    }
}
