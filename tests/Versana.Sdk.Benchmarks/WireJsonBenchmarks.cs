using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// Writing a credits API reply: with the wire options (their strict enum converter keeps System.Text.Json off
/// the generated fast path) and with the options replies are written with (no converter, the fast path).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class WireJsonBenchmarks
{
    private readonly MemoryStream _stream = new();
    private CreditReservationResult _reply = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        var ledger = CreditLedger.CreateInMemory(BenchmarkPlans.Unlimited());
        ledger.CreateWorkspaceAsync(new WorkspaceSettings("bench", "Bench")).AsTask().GetAwaiter().GetResult();
        _reply = ledger.ReserveAsync("bench", new ReservationRequest(AiFeature.ReplySuggestion, "json-1")).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "reserve reply, wire options")]
    public long Wire() => Write(VersanaJson.Wire);

    [Benchmark(Description = "reserve reply, reply options (fast path)")]
    public long Replies() => Write(VersanaJson.ForWriting<CreditReservationResult>());

    private long Write(JsonSerializerOptions options)
    {
        _stream.Position = 0;
        JsonSerializer.Serialize(_stream, _reply, options);
        return _stream.Position;
    }
}
