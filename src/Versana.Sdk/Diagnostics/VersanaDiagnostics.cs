using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Versana.Sdk;

/// <summary>
/// The SDK's telemetry: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>. Instruments carry the feature and outcome, never workspace keys or AI content.
/// </summary>
public sealed class VersanaDiagnostics : IDisposable
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "Versana.Sdk";

    private static readonly object s_true = true;
    private static readonly object s_false = false;

    private readonly Meter _meter;
    private readonly Counter<long> _reserved;
    private readonly Counter<long> _committed;
    private readonly Counter<long> _released;
    private readonly Counter<long> _denials;
    private readonly Histogram<double> _duration;

    /// <summary>Initializes a new instance of the <see cref="VersanaDiagnostics"/> class.</summary>
    /// <param name="meterFactory">The meter factory, or <see langword="null"/> for a meter of its own.</param>
    public VersanaDiagnostics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _reserved = _meter.CreateCounter<long>("versana.credits.reserved", "{credit}", "Credits held for AI actions.");
        _committed = _meter.CreateCounter<long>("versana.credits.committed", "{credit}", "Credits charged for AI actions that succeeded.");
        _released = _meter.CreateCounter<long>("versana.credits.released", "{credit}", "Credits given back after AI actions failed or were cancelled.");
        _denials = _meter.CreateCounter<long>("versana.guard.denials", "{denial}", "AI actions refused, by reason.");
        _duration = _meter.CreateHistogram<double>("versana.guard.duration", "s", "Time of a guarded AI action, the ledger calls included.");
    }

    /// <summary>Gets the activity source guarded actions are traced with.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();

    internal void Reserved(AiFeature feature, long credits) => _reserved.Add(credits, new KeyValuePair<string, object?>("versana.feature", feature.Name));

    internal void Committed(AiFeature feature, long credits) => _committed.Add(credits, new KeyValuePair<string, object?>("versana.feature", feature.Name));

    internal void Released(AiFeature feature, long credits) => _released.Add(credits, new KeyValuePair<string, object?>("versana.feature", feature.Name));

    internal void Denied(AiFeature feature, CreditDenialReason reason, bool fromMemo)
    {
        // The paused fast path runs this on every refused call: allocate nothing when nobody listens.
        if (!_denials.Enabled)
        {
            return;
        }

        _denials.Add(
            1,
            new KeyValuePair<string, object?>("versana.feature", feature.Name),
            new KeyValuePair<string, object?>("versana.denial.reason", ReasonName(reason)),
            new KeyValuePair<string, object?>("versana.denial.cached", fromMemo ? s_true : s_false));
    }

    private static string ReasonName(CreditDenialReason reason) => reason switch
    {
        CreditDenialReason.PlanExcludesAi => nameof(CreditDenialReason.PlanExcludesAi),
        CreditDenialReason.AutomationNotActivated => nameof(CreditDenialReason.AutomationNotActivated),
        CreditDenialReason.CreditsExhausted => nameof(CreditDenialReason.CreditsExhausted),
        _ => reason.ToString(),
    };

    /// <summary>Gets a value indicating whether anyone records guarded actions' durations.</summary>
    internal bool MeasuresDuration => _duration.Enabled;

    /// <summary>Records a guarded action's duration since <paramref name="started"/>, when <see cref="MeasuresDuration"/> was true at its start.</summary>
    internal void Completed(AiFeature feature, string outcome, TimeProvider timeProvider, long? started)
    {
        if (started is not { } start || !_duration.Enabled)
        {
            return;
        }

        _duration.Record(
            timeProvider.GetElapsedTime(start).TotalSeconds,
            new KeyValuePair<string, object?>("versana.feature", feature.Name),
            new KeyValuePair<string, object?>("versana.outcome", outcome));
    }
}
