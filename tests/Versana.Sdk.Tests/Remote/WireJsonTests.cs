using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Versana.Sdk.Tests.Remote;

public sealed class WireJsonTests
{
    public static TheoryData<Type> WireTypes() =>
    [
        typeof(CreditBalance), typeof(CreditReservationResult), typeof(CreditReservation), typeof(CreditDenial),
        typeof(CommitResult), typeof(ReleaseResult), typeof(BoostPackPurchase), typeof(PlanChangeResult),
        typeof(UsageReport), typeof(LedgerVerification), typeof(IReadOnlyList<LedgerEntry>),
        typeof(ReserveBody), typeof(CommitBody), typeof(SettingsBody), typeof(PlanBody), typeof(CreateWorkspaceBody),
        typeof(CreatedWorkspace), typeof(IssuedApiKey), typeof(FeatureBody), typeof(BoostPackBody),
    ];

    [Theory]
    [MemberData(nameof(WireTypes))]
    public void EveryWireType_IsSerializedFromGeneratedMetadata(Type type)
        => Assert.Same(VersanaWireJsonContext.Default, VersanaJson.Wire.GetTypeInfo(type).OriginatingResolver);

    [Fact]
    public async Task GeneratedMetadata_WritesWhatReflectionWrote()
    {
        // The wire format may not move: the same ledger replies, written by the generated metadata and by a
        // reflection-only copy of the wire options.
        var reflection = new JsonSerializerOptions(VersanaJson.Wire) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        await using var ledger = CreditLedger.CreateInMemory();
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter") { TimeZoneId = "America/New_York" });
        var reserved = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "k1") { Credits = 3, Actor = "agent-7" });
        var committed = await ledger.CommitAsync("acme", reserved.Reservation!.Id, 2, 150);
        var boost = await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "b1"));
        var denied = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "k2") { Credits = 100_000 });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        (object Reply, Type Type)[] replies =
        [
            (reserved, typeof(CreditReservationResult)), (committed, typeof(CommitResult)), (boost, typeof(BoostPackPurchase)),
            (denied, typeof(CreditReservationResult)), (await ledger.GetBalanceAsync("acme"), typeof(CreditBalance)),
            (await ledger.GetUsageAsync("acme", today.AddDays(-1), today.AddDays(1)), typeof(UsageReport)),
            (await ledger.GetEntriesAsync("acme"), typeof(IReadOnlyList<LedgerEntry>)), (await ledger.VerifyAsync("acme"), typeof(LedgerVerification)),
            (new ReserveBody(AiFeature.Classification, 2, 30, null), typeof(ReserveBody)), (new CommitBody(1, null), typeof(CommitBody)),
        ];

        Assert.False(denied.IsGranted);
        foreach (var (reply, type) in replies)
        {
            var written = JsonSerializer.Serialize(reply, type, VersanaJson.Wire);
            Assert.Equal(JsonSerializer.Serialize(reply, type, reflection), written);
        }
    }

    [Fact]
    public void TypesOutsideTheContext_WriteEnumsAsStrings()
        => Assert.Equal("""{"shade":"Dark"}""", JsonSerializer.Serialize(new OutsideTheContext(Shade.Dark), VersanaJson.Wire));

    [Fact]
    public void ARequestBodyWithARepeatedMember_IsRefused()
        => Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CommitBody>("""{"actualCredits":1,"actualCredits":2}""", VersanaJson.StrictRequests));

    public enum Shade
    {
        Light,
        Dark,
    }

    private sealed record OutsideTheContext(Shade Shade);
}
