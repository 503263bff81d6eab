using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// Runs a suite under workstation GC (console apps' default) and server GC (ASP.NET Core's default) side by
/// side: the ledger keeps what it records, so its cost depends on how often the GC promotes young objects.
/// </summary>
public sealed class GcJobsConfig : ManualConfig
{
    public GcJobsConfig()
    {
        AddJob(Job.Default.WithGcServer(false).WithId("WorkstationGC"));
        AddJob(Job.Default.WithGcServer(true).WithId("ServerGC"));
    }
}
