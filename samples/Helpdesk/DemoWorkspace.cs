using Versana.Sdk;
using Versana.Sdk.Sqlite;

namespace Helpdesk;

/// <summary>
/// Creates the demo workspace on first start, with a month of realistic usage behind it, so the dashboard has
/// a trend to draw and the pool is close to pausing.
/// </summary>
internal static class DemoWorkspace
{
    private static readonly (AiFeature Feature, int Weight)[] s_mix =
    [
        (AiFeature.ConversationSummary, 45),
        (AiFeature.ReplySuggestion, 35),
        (AiFeature.Classification, 20),
    ];

    public static async Task EnsureAsync(HelpdeskOptions options, CreditLedgerOptions ledgerOptions, TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow();
        var clock = new SeedClock(now);

        // A separate ledger instance on a clock set in the past writes the history; the app's ledger opens after it.
        await using var ledger = SqliteCreditLedger.Open(options.Database, ledgerOptions, clock);
        try
        {
            await ledger.GetBalanceAsync(options.Workspace);
            return;
        }
        catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.WorkspaceNotFound)
        {
        }

        // The history starts at the beginning of this month (the demo workspace bills in UTC), in time order.
        var start = new DateTimeOffset(now.Year, now.Month, 1, 0, 1, 0, TimeSpan.Zero);
        clock.Set(start < now ? start : now);
        var balance = await ledger.CreateWorkspaceAsync(new WorkspaceSettings(options.Workspace, "Starter") { TimeZoneId = "UTC" });
        var calls = (int)Math.Max(0, balance.Available - options.DemoRemainingCredits);
        var span = now - start - TimeSpan.FromMinutes(10);
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        var random = new Random(2026);
        for (var i = 0; i < calls; i++)
        {
            // Spread over the period so far, a little busier towards today.
            var at = start + span * Math.Sqrt((i + random.NextDouble()) / calls);
            clock.Set(at < now ? at : now);
            var feature = Pick(random.Next(100));
            var reservation = await ledger.ReserveAsync(options.Workspace, new ReservationRequest(feature, $"seed-{i}") { Actor = "seed" });
            await ledger.CommitAsync(options.Workspace, reservation.Reservation!.Id, tokens: 300 + random.Next(900));
        }
    }

    private static AiFeature Pick(int roll)
    {
        foreach (var (feature, weight) in s_mix)
        {
            if (roll < weight)
            {
                return feature;
            }

            roll -= weight;
        }

        return s_mix[0].Feature;
    }

    private sealed class SeedClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Set(DateTimeOffset now) => _now = now;
    }
}
