using System.Diagnostics.Tracing;
using System.Globalization;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// Where a guarded no-op's bytes go: the runtime's allocation ticks (one about every 100 KB, naming the type that
/// crossed it) over 400,000 calls, summed by type. A sample, not a count: types that allocate little show roughly.
/// </summary>
internal static class AllocTicks
{
    private const int Calls = 400_000;

    public static void Run()
    {
        var (provider, guard) = BenchmarkPlans.Guarded();
        Func<CreditGuardContext, CancellationToken, ValueTask<int>> noOp = static (_, _) => new ValueTask<int>(42);
        for (var i = 0; i < 50_000; i++)
        {
            guard.ExecuteAsync(AiFeature.ReplySuggestion, noOp).GetAwaiter().GetResult();
        }

        using var listener = new AllocationListener();
        var before = GC.GetAllocatedBytesForCurrentThread();
        listener.Recording = true;
        for (var i = 0; i < Calls; i++)
        {
            guard.ExecuteAsync(AiFeature.ReplySuggestion, noOp).GetAwaiter().GetResult();
        }

        listener.Recording = false;
        Console.WriteLine(FormattableString.Invariant($"{(GC.GetAllocatedBytesForCurrentThread() - before) / Calls} B a guarded call, by type (sampled):"));
        foreach (var (type, bytes) in listener.Bytes.OrderByDescending(p => p.Value))
        {
            Console.WriteLine(FormattableString.Invariant($"{bytes / (double)Calls,8:0.0} B  {type}"));
        }

        provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Sums the runtime's allocation ticks by type while <see cref="Recording"/> is set.</summary>
    internal sealed class AllocationListener : EventListener
    {
        public Dictionary<string, long> Bytes { get; } = [];

        public volatile bool Recording;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                // The GC keyword at verbose level carries GCAllocationTick.
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (!Recording || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true)
            {
                return;
            }

            var names = eventData.PayloadNames!;
            var type = (string)eventData.Payload![names.IndexOf("TypeName")]!;
            var amount = Convert.ToInt64(eventData.Payload[names.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
            lock (Bytes)
            {
                Bytes[type] = Bytes.GetValueOrDefault(type) + amount;
            }
        }
    }
}
