using Xunit;

namespace Versana.Sdk.Testing;

public abstract partial class CreditLedgerConformanceTests
{
    public static TheoryData<string, Func<ICreditLedger, Task>> BadRequests => new()
    {
        { "zero credits", l => l.ReserveAsync("acme", Request(AiFeature.ReplySuggestion, 0)).AsTask() },
        { "negative credits", l => l.ReserveAsync("acme", Request(AiFeature.ReplySuggestion, -5)).AsTask() },
        { "absurd credits", l => l.ReserveAsync("acme", Request(AiFeature.ReplySuggestion, long.MaxValue)).AsTask() },
        { "unknown feature", l => l.ReserveAsync("acme", Request(new AiFeature("Telepathy"))).AsTask() },
        { "empty feature", l => l.ReserveAsync("acme", Request(default)).AsTask() },
        { "bad key", l => l.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, "has space")).AsTask() },
        { "bad ttl", l => l.ReserveAsync("acme", Request(AiFeature.ReplySuggestion, ttl: TimeSpan.FromDays(3))).AsTask() },
        { "unknown reservation commit", l => l.CommitAsync("acme", "res_nope").AsTask() },
        { "unknown reservation release", l => l.ReleaseAsync("acme", "res_nope").AsTask() },
        { "negative commit", l => l.CommitAsync("acme", "res_nope", -1).AsTask() },
        { "boost of no size", l => l.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_234, "k")).AsTask() },
        { "unknown plan", l => l.ChangePlanAsync("acme", "Platinum").AsTask() },
        { "bad cost", l => l.UpdateSettingsAsync("acme", new WorkspaceSettingsUpdate { Costs = new Dictionary<AiFeature, long> { [AiFeature.ReplySuggestion] = 0 } }).AsTask() },
        { "malformed time zone", l => l.CreateWorkspaceAsync(new WorkspaceSettings("other", "Starter") { TimeZoneId = "Mars/Olympus_Mons" }).AsTask() },
        { "malformed workspace id", l => l.CreateWorkspaceAsync(new WorkspaceSettings("a b/c", "Starter")).AsTask() },
        { "recreate with other settings", l => l.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Scale")).AsTask() },
        { "unknown workspace", l => l.ReserveAsync("nobody", Request(AiFeature.ReplySuggestion)).AsTask() },
        { "empty usage range", l => l.GetUsageAsync("acme", new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 1)).AsTask() },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInput_IsRefusedWithAMessage_AndChangesNothing(string name, Func<ICreditLedger, Task> request)
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        var held = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 3));
        var before = await Observe(ledger, "acme");

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => request(ledger));

        Assert.True(ex is ArgumentException or CreditLedgerException, $"{name}: {ex.GetType()}");
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        Assert.Equal(before, await Observe(ledger, "acme"));
        Assert.Equal(ReservationStatus.Held, (await ledger.GetReservationAsync("acme", held.Reservation!.Id))!.Status);
        await AssertConsistent(ledger, "acme");
    }

    [Fact]
    public async Task CommitAboveTheReservation_IsRefused_AndChangesNothing()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());
        var reservation = await ledger.ReserveAsync("acme", Request(AiFeature.ConversationSummary, 3));
        var before = await Observe(ledger, "acme");

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.CommitAsync("acme", reservation.Reservation!.Id, 4).AsTask());

        Assert.Contains("holds 3 credits", ex.Message);
        Assert.Equal(before, await Observe(ledger, "acme"));
    }

    [Fact]
    public async Task UnknownWorkspace_IsReportedAsNotFound()
    {
        var ledger = await NewLedgerAsync();

        var ex = await Assert.ThrowsAsync<CreditLedgerException>(() => ledger.GetBalanceAsync("nobody").AsTask());

        Assert.Equal(CreditLedgerError.WorkspaceNotFound, ex.Error);
    }

    [Fact]
    public async Task CreatingAWorkspaceTwiceWithTheSameSettings_IsIdempotent()
    {
        var ledger = await WithWorkspace(await NewLedgerAsync());

        await WithWorkspace(ledger);

        Assert.Equal(2, (await ledger.GetEntriesAsync("acme")).Count);
    }
}
