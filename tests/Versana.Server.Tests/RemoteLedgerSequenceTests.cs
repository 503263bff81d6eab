using Microsoft.Extensions.DependencyInjection;
using Versana.Sdk.Testing;

namespace Versana.Server.Tests;

/// <summary>
/// The SDK's remote ledger over the real server (SQLite behind it) against an in-process reference: through every
/// decision and every refusal, the wire must give back exactly what the ledger itself answers.
/// </summary>
public sealed class RemoteLedgerSequenceTests
{
    public static TheoryData<int, bool, string> Sequences => new()
    {
        { 5, true, "UTC" },
        { 8, false, "Europe/London" },
    };

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public async Task AnySequenceOfDecisions_OverAFlakyNetwork_AnswersAsTheLedgerItself(int seed)
    {
        await using var server = await ServerHarness.StartAsync(s => s.PostConfigure<VersanaOptions>(o => LedgerSequence.Configure(o.Ledger, packsExpire: true)));
        var key = await server.CreateWorkspaceAsync("acme", "Starter", automation: true, "UTC");
        var faults = new FaultInjectingHandler(seed, dropBefore: 0.1, dropAfter: 0.1);
        var services = new ServiceCollection();
        services.AddVersana(o => o.WorkspaceId = "acme").UseRemoteLedger(server.BaseAddress, key, o =>
        {
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
            o.MaxRetries = 8;
        });
        services.AddHttpClient(RemoteCreditLedger.HttpClientName).AddHttpMessageHandler(() => faults);
        await using var sdk = services.BuildServiceProvider();
        var settings = new WorkspaceSettings("acme", "Starter") { AutomationEnabled = true, TimeZoneId = "UTC" };

        await LedgerSequence.RunAgainstReferenceAsync(sdk.GetRequiredService<ICreditLedger>(), server.Clock, settings, seed, packsExpire: true);
        Assert.True(faults.DroppedBefore > 20 && faults.DroppedAfter > 20, $"{faults.DroppedBefore} requests and {faults.DroppedAfter} responses were lost.");
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task AnySequenceOfDecisions_OverHttp_AnswersAsTheLedgerItself(int seed, bool packsExpire, string timeZone)
    {
        await using var server = await ServerHarness.StartAsync(s => s.PostConfigure<VersanaOptions>(o => LedgerSequence.Configure(o.Ledger, packsExpire)));
        var automation = seed % 2 == 0;
        var key = await server.CreateWorkspaceAsync("acme", "Starter", automation, timeZone);
        var services = new ServiceCollection();
        services.AddVersana(o => o.WorkspaceId = "acme").UseRemoteLedger(server.BaseAddress, key, o => o.RetryDelay = TimeSpan.FromMilliseconds(1));
        await using var sdk = services.BuildServiceProvider();
        var settings = new WorkspaceSettings("acme", "Starter") { AutomationEnabled = automation, TimeZoneId = timeZone };

        await LedgerSequence.RunAgainstReferenceAsync(sdk.GetRequiredService<ICreditLedger>(), server.Clock, settings, seed, packsExpire);
    }
}
