using System.Diagnostics.Metrics;

namespace Versana.Sdk.Tests.Guard;

public sealed class GuardDiagnosticsTests
{
    [Fact]
    public async Task Guard_ReportsCreditsAndDenialsOnTheVersanaMeter()
    {
        await using var h = await GuardHarness.CreateAsync();
        var diagnostics = h.Get<VersanaDiagnostics>();
        var measurements = new List<(string Name, long Value, string? Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == VersanaDiagnostics.Name && instrument is Counter<long>)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "versana.denial.reason")
                {
                    reason = (string?)tag.Value;
                }
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, value, reason));
            }
        });
        listener.Start();

        await h.Guard.ExecuteAsync(AiFeature.AutomatedResponse, (_, _) => new ValueTask<int>(0));
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Guard.ExecuteAsync<int>(AiFeature.ReplySuggestion, (_, _) => throw new InvalidOperationException()).AsTask());
        await h.SpendAsync(2_998);
        await h.Guard.TryExecuteAsync(AiFeature.ReplySuggestion, (_, _) => new ValueTask<int>(0));

        // Tests running in parallel report on meters of the same name: copy under the lock, so their measurements
        // arriving meanwhile cannot change the list while the assertions enumerate it.
        List<(string Name, long Value, string? Reason)> seen;
        lock (measurements)
        {
            seen = [.. measurements];
        }

        Assert.NotNull(diagnostics);
        Assert.Contains(("versana.credits.reserved", 2L, (string?)null), seen);
        Assert.Contains(("versana.credits.committed", 2L, (string?)null), seen);
        Assert.Contains(("versana.credits.released", 1L, (string?)null), seen);
        Assert.Contains(("versana.guard.denials", 1L, "CreditsExhausted"), seen);
    }
}
