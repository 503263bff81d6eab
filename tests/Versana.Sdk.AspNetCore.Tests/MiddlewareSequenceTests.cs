using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Versana.Sdk.Tests.Guard;

namespace Versana.Sdk.AspNetCore.Tests;

/// <summary>
/// Seeded sequences of guarded requests over a real Kestrel server — answered, failing with a status or an exception,
/// retried with their key — between boost packs, plan and settings changes, spends and clock moves, next to the same
/// operations on a ledger without a cache: every status, <c>Retry-After</c> and balance header must be what that
/// ledger's decisions make them, and the charges the same.
/// </summary>
/// <remarks>As for the guard, the one difference allowed is a refusal remembered across another process's change, up to the memo's maximum age.</remarks>
public sealed class MiddlewareSequenceTests
{
    private const string BalanceHeader = "Versana-Credits-Available";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task EveryResponse_IsWhatALedgerWithoutACacheDecides(int seed)
    {
        await using var app = await GuardedApp.StartAsync(Map);
        var run = new Run(app, seed);
        await run.StartAsync();

        for (var step = 0; step < 300; step++)
        {
            await run.StepAsync(step);
        }
    }

    private static void Map(WebApplication app)
    {
        foreach (var feature in TwinSequence.Features)
        {
            app.MapGet($"/w/{{workspaceId}}/{feature.Name}/ok", () => "ok").RequireAiCredits(feature);
            app.MapGet($"/w/{{workspaceId}}/{feature.Name}/status/{{code:int}}", (int code) => Results.StatusCode(code)).RequireAiCredits(feature);
            app.MapGet($"/w/{{workspaceId}}/{feature.Name}/throw", string () => throw new InvalidOperationException("The AI backend failed.")).RequireAiCredits(feature);
        }
    }

    private sealed class Run(GuardedApp app, int seed)
    {
        private readonly Random _random = new(seed);
        private readonly StringBuilder _log = new();
        private readonly CreditLedger _twin = CreditLedger.CreateInMemory(timeProvider: app.Clock);
        private readonly List<(string Key, AiFeature Feature, bool Paid)> _keys = [];
        private DateTimeOffset _staleUntil = DateTimeOffset.MinValue;
        private int _next;

        private DateTimeOffset Now => app.Clock.GetUtcNow();

        private ICreditLedger AppLedger => app.Services.GetRequiredService<ICreditLedger>();

        public async Task StartAsync() => await _twin.CreateWorkspaceAsync(new WorkspaceSettings(GuardedApp.Workspace, "Starter") { AutomationEnabled = true });

        public async Task StepAsync(int step)
        {
            _log.Append(CultureInfo.InvariantCulture, $"{step} @{Now:O}: ");
            var roll = _random.Next(100);
            if (roll < 60)
            {
                await RequestAsync();
            }
            else if (roll < 70)
            {
                await SpendAsync(elsewhere: _random.Next(3) == 0);
            }
            else if (roll < 74)
            {
                await ChangeAsync("boost", ledger => ledger.PurchaseBoostPackAsync(GuardedApp.Workspace, new BoostPackRequest(1_000, NextKey())).AsTask(), elsewhere: _random.Next(3) == 0);
            }
            else if (roll < 78)
            {
                var plan = TwinSequence.Plans[_random.Next(TwinSequence.Plans.Length)];
                await ChangeAsync($"plan {plan}", ledger => ledger.ChangePlanAsync(GuardedApp.Workspace, plan).AsTask(), elsewhere: false);
            }
            else if (roll < 83)
            {
                var automation = _random.Next(2) == 0;
                await ChangeAsync($"automation {automation}", ledger => ledger.UpdateSettingsAsync(GuardedApp.Workspace, new WorkspaceSettingsUpdate { AutomationEnabled = automation }).AsTask(), elsewhere: _random.Next(4) == 0);
            }
            else
            {
                var by = _random.Next(5) switch
                {
                    0 => TimeSpan.FromSeconds(45),
                    1 => TimeSpan.FromHours(_random.Next(1, 200)),
                    _ => TimeSpan.FromSeconds(_random.Next(1, 20)),
                };
                _log.Append(CultureInfo.InvariantCulture, $"clock +{by}");
                app.Clock.Advance(by);
            }

            _log.AppendLine();
            var mine = await app.BalanceAsync();
            var twin = await _twin.GetBalanceAsync(GuardedApp.Workspace);
            Check(mine.Used == twin.Used && mine.Held == twin.Held && mine.Available == twin.Available && mine.BoostRemaining == twin.BoostRemaining, $"ledger {mine}, twin {twin}");
        }

        private async Task RequestAsync()
        {
            var feature = TwinSequence.Features[_random.Next(TwinSequence.Features.Length)];
            string? key = null;
            var paid = false;
            var keyIndex = -1;
            if (_keys.Count > 0 && _random.Next(4) == 0)
            {
                keyIndex = _random.Next(_keys.Count);
                (key, feature, paid) = _keys[keyIndex];
            }
            else if (_random.Next(4) == 0)
            {
                key = NextKey();
                _keys.Add((key, feature, false));
                keyIndex = _keys.Count - 1;
            }

            var outcome = _random.Next(8) switch
            {
                0 => "status/500",
                1 => "status/404",
                2 => "throw",
                _ => "ok",
            };
            var path = $"/w/{GuardedApp.Workspace}/{feature.Name}/{outcome}";
            _log.Append(CultureInfo.InvariantCulture, $"GET {path} key={key} paid={paid}");

            // The twin decides first; a retry of a paid key is served by the ledger whatever the balance, and not charged.
            var twin = paid ? null : await _twin.ReserveAsync(GuardedApp.Workspace, new ReservationRequest(feature, NextKey()));
            var reservesBefore = app.Ledger.Reserves;
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }

            using var response = await app.Client.SendAsync(request);
            await app.WaitForCompletionAsync(path);
            var asked = app.Ledger.Reserves > reservesBefore;
            var status = (int)response.StatusCode;
            var header = response.Headers.TryGetValues(BalanceHeader, out var values) ? long.Parse(values.Single(), CultureInfo.InvariantCulture) : (long?)null;
            _log.Append(CultureInfo.InvariantCulture, $" -> {status} balance={header} asked={asked}");

            if (twin is null)
            {
                Check(status == ExpectedStatus(outcome), $"a retry of a paid request got {status}");
                var current = outcome == "throw" ? null : (long?)(await _twin.GetBalanceAsync(GuardedApp.Workspace)).Available;
                Check(header == current, $"a paid retry's balance header {header}, expected {current}");
                return;
            }

            if (twin.Denial is { } denial)
            {
                if (status is 402 or 403 && Now < _staleUntil)
                {
                    return;
                }

                Check(status == StatusOf(denial.Reason), $"refused with {status}; the ledger without a cache refuses for {denial.Reason}");
                Check(response.Headers.RetryAfter is not null == denial.ResumesAt is not null, $"Retry-After {response.Headers.RetryAfter} for a refusal resuming at {denial.ResumesAt}");
                if (asked && Now >= _staleUntil)
                {
                    Check(header == twin.Balance.Available, $"a refusal's balance header {header}, the twin's {twin.Balance.Available}");
                }

                return;
            }

            if (status is 402 or 403)
            {
                Check(Now < _staleUntil, $"refused with {status}; the ledger without a cache grants it");
                await _twin.ReleaseAsync(GuardedApp.Workspace, twin.Reservation!.Id);
                return;
            }

            Check(status == ExpectedStatus(outcome), $"a granted request answered {status}");
            if (outcome == "ok")
            {
                Check(header == twin.Balance.Available, $"a charged request's balance header {header}, the twin's {twin.Balance.Available}");
                await _twin.CommitAsync(GuardedApp.Workspace, twin.Reservation!.Id);
                if (keyIndex >= 0)
                {
                    _keys[keyIndex] = (key!, feature, true);
                }
            }
            else
            {
                // Kestrel's own 500 after an unhandled exception carries no headers at all (documented); an error status
                // the endpoint returns carries the balance with the credits back.
                var released = await _twin.ReleaseAsync(GuardedApp.Workspace, twin.Reservation!.Id);
                var expected = outcome == "throw" ? null : (long?)released.Balance.Available;
                Check(header == expected, $"a failed request's balance header {header}, expected {expected}");
            }
        }

        private async Task SpendAsync(bool elsewhere)
        {
            var available = (await _twin.GetBalanceAsync(GuardedApp.Workspace)).Available;
            var credits = Math.Max(1, _random.NextInt64(available / 2, available + 10));
            _log.Append(CultureInfo.InvariantCulture, $"spend {credits} elsewhere={elsewhere}");
            var key = NextKey();
            var ledger = elsewhere ? app.Ledger.Inner : AppLedger;
            MarkElsewhere(elsewhere);
            var mine = await ledger.ReserveAsync(GuardedApp.Workspace, new ReservationRequest(AiFeature.ConversationSummary, key) { Credits = credits });
            var twin = await _twin.ReserveAsync(GuardedApp.Workspace, new ReservationRequest(AiFeature.ConversationSummary, key) { Credits = credits });
            Check(mine.Denial?.Reason == twin.Denial?.Reason, $"spend: {mine.Denial?.Reason} against {twin.Denial?.Reason}");
            if (mine.Reservation is { } reservation)
            {
                await ledger.CommitAsync(GuardedApp.Workspace, reservation.Id);
                await _twin.CommitAsync(GuardedApp.Workspace, twin.Reservation!.Id);
            }
        }

        /// <summary>One change on both ledgers: both take it, or both refuse it with the same error.</summary>
        private async Task ChangeAsync(string what, Func<ICreditLedger, Task> change, bool elsewhere)
        {
            _log.Append(CultureInfo.InvariantCulture, $"{what} elsewhere={elsewhere}");
            MarkElsewhere(elsewhere);
            var mine = await TwinSequence.ErrorOfAsync(() => change(elsewhere ? app.Ledger.Inner : AppLedger));
            var twin = await TwinSequence.ErrorOfAsync(() => change(_twin));
            Check(mine == twin, $"{what}: {mine} against {twin}");
        }

        private void MarkElsewhere(bool elsewhere)
        {
            if (elsewhere && Now + TimeSpan.FromSeconds(30) > _staleUntil)
            {
                _staleUntil = Now + TimeSpan.FromSeconds(30);
            }
        }

        private static int ExpectedStatus(string outcome) => outcome switch
        {
            "ok" => 200,
            "status/404" => 404,
            _ => 500,
        };

        private static int StatusOf(CreditDenialReason reason) => reason == CreditDenialReason.AutomationNotActivated ? 403 : 402;

        private string NextKey() => $"mw-{seed}-{_next++}";

        private void Check(bool condition, string message)
        {
            if (!condition)
            {
                var lines = _log.ToString().Split('\n');
                Assert.Fail($"seed {seed}: {message}\n{string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 20)))}");
            }
        }
    }
}
