namespace Versana.Sdk.Tests.Ledger;

/// <summary>
/// Holds of several amounts: each reservation and entry records its own amount, and charges and releases move
/// exactly what each held.
/// </summary>
public sealed class HoldPartsTests
{
    [Fact]
    public async Task Holds_of_alternating_amounts_record_and_settle_their_own_parts()
    {
        await using var ledger = CreditLedger.CreateInMemory();
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("ws", "Starter"));
        long[] amounts = [1, 7, 1, 1, 40, 7];

        var held = new List<CreditReservation>();
        foreach (var (amount, i) in amounts.Select((a, i) => (a, i)))
        {
            var result = await ledger.ReserveAsync("ws", new ReservationRequest(AiFeature.ConversationSummary, $"hold-{i}") { Credits = amount });
            held.Add(result.Reservation!);
        }

        Assert.Equal(amounts.Sum(), (await ledger.GetBalanceAsync("ws")).Held);
        await ledger.CommitAsync("ws", held[1].Id, actualCredits: 3);
        await ledger.ReleaseAsync("ws", held[4].Id);
        await ledger.CommitAsync("ws", held[5].Id);
        await ledger.CommitAsync("ws", held[0].Id);

        var balance = await ledger.GetBalanceAsync("ws");
        Assert.Equal(3 + 7 + 1, balance.Used);
        Assert.Equal(1 + 1, balance.Held);

        var entries = await ledger.GetEntriesAsync("ws", limit: 1_000);
        var reserved = entries.Where(e => e.Kind == LedgerEntryKind.Reserved).ToArray();
        Assert.Equal(amounts, reserved.Select(e => e.Parts!.Single().Credits));
        Assert.All(reserved, e => Assert.Equal(CreditPart.MonthlyBucket, e.Parts!.Single().Bucket));
        var committed = entries.Where(e => e.Kind == LedgerEntryKind.Committed).Select(e => e.Parts!.Sum(p => p.Credits)).ToArray();
        Assert.Equal([3L, 7L, 1L], committed);
        Assert.True((await ledger.VerifyAsync("ws")).IsConsistent);
    }
}
