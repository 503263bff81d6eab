using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.Tests.Ledger;

public sealed class LedgerEntryTests
{
    private static readonly DateTimeOffset s_at = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Entries_read_twice_are_equal_although_their_lists_are_new_objects()
    {
        var first = Entry([new(CreditPart.MonthlyBucket, 10)], new Dictionary<string, long> { ["ReplySuggestion"] = 2 });
        var second = Entry([new(CreditPart.MonthlyBucket, 10)], new Dictionary<string, long> { ["ReplySuggestion"] = 2 });

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void Entries_differing_in_parts_costs_or_any_member_are_not_equal()
    {
        var entry = Entry([new(CreditPart.MonthlyBucket, 10)], null);

        Assert.NotEqual(entry, Entry([new(CreditPart.MonthlyBucket, 9)], null));
        Assert.NotEqual(entry, Entry([new(CreditPart.MonthlyBucket, 5), new("boost_1", 5)], null));
        Assert.NotEqual(entry, Entry(null, null));
        Assert.NotEqual(entry, Entry([new(CreditPart.MonthlyBucket, 10)], new Dictionary<string, long> { ["ReplySuggestion"] = 2 }));
        Assert.NotEqual(entry, entry with { Actor = "agent-1" });
        Assert.NotEqual(entry, entry with { Tokens = 12 });
        Assert.NotEqual(entry, entry with { Sequence = 8 });
        Assert.NotEqual(Entry(null, new Dictionary<string, long> { ["A"] = 1 }), Entry(null, new Dictionary<string, long> { ["A"] = 2 }));
    }

    [Fact]
    public void An_entry_with_every_member_set_comes_back_from_the_stores_json_equal()
    {
        // Every member set, none to its default: a member the stores' JSON drops fails here before a store loses it.
        var entry = new LedgerEntry("ws", 7, s_at, LedgerEntryKind.Committed)
        {
            Credits = 10,
            Parts = [new(CreditPart.MonthlyBucket, 10)],
            ReservationId = "res_1",
            Returned = [new(CreditPart.MonthlyBucket, 2)],
            BoostId = "boost_1",
            IdempotencyKey = "key-1",
            Feature = AiFeature.ReplySuggestion,
            Actor = "agent-1",
            Plan = "Growth",
            PeriodStart = s_at.AddDays(-1),
            PeriodEnd = s_at.AddDays(30),
            ExpiresAt = s_at.AddMinutes(5),
            AutomationEnabled = false,
            TimeZoneId = "UTC",
            Costs = new Dictionary<string, long> { ["ReplySuggestion"] = 2 },
            Tokens = 120,
            Percent = 75,
        };
        var members = typeof(LedgerEntry).GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToList();
        Assert.All(members, p => Assert.NotNull(p.GetValue(entry)));

        var json = System.Text.Json.JsonSerializer.Serialize(entry, Versana.Sdk.Ledger.Storage.StorageJsonContext.Default.LedgerEntry);
        Assert.Equal(entry, System.Text.Json.JsonSerializer.Deserialize(json, Versana.Sdk.Ledger.Storage.StorageJsonContext.Default.LedgerEntry));
    }

    private static LedgerEntry Entry(CreditPart[]? parts, Dictionary<string, long>? costs)
        => new("ws", 7, s_at, LedgerEntryKind.Committed)
        {
            Credits = 10,
            Parts = parts,
            ReservationId = "res_1",
            Feature = AiFeature.ReplySuggestion,
            Costs = costs,
        };
}
