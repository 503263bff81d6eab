// Versana SDK quickstart: a Starter workspace on the embedded SQLite ledger, offline, no key.
// It spends credits on each AI feature, runs the pool dry, buys a boost pack, and crosses into
// the next month on a clock the sample controls.
using Quickstart;
using Versana.Sdk;
using Versana.Sdk.Sqlite;

var path = Path.Combine(Path.GetTempPath(), $"versana-quickstart-{Guid.NewGuid():N}.db");
var clock = new SampleClock(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

await using (var ledger = SqliteCreditLedger.Open(path, timeProvider: clock))
{
    Print("Create a Starter workspace", await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter") { AutomationEnabled = true }));

    foreach (var feature in AiFeature.BuiltIn)
    {
        var reservation = await ledger.ReserveAsync("acme", new ReservationRequest(feature, Guid.NewGuid().ToString("N")) { Actor = "agent-7" });
        var commit = await ledger.CommitAsync("acme", reservation.Reservation!.Id);
        Print($"Use {feature} ({commit.Charged} credit{(commit.Charged == 1 ? "" : "s")})", commit.Balance);
    }

    // A failed AI call costs nothing: release instead of commit.
    var failed = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, Guid.NewGuid().ToString("N")));
    Print("A summary fails and is released", (await ledger.ReleaseAsync("acme", failed.Reservation!.Id)).Balance);

    var rest = (await ledger.GetBalanceAsync("acme")).Available;
    var big = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "month-end-batch") { Credits = rest });
    Print($"A month-end batch uses the remaining {rest} credits", (await ledger.CommitAsync("acme", big.Reservation!.Id)).Balance);

    var denied = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, Guid.NewGuid().ToString("N")));
    Console.WriteLine($"-> Reply suggestion refused: {denied.Denial!.Reason}. {denied.Denial.Message}");
    Console.WriteLine($"   Boost packs on offer: {string.Join(", ", denied.Denial.BoostPackSizes.Select(s => $"{s:N0}"))} credits");

    Print("Buy a 1,000-credit boost pack", (await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "boost-1"))).Balance);
    var afterBoost = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, Guid.NewGuid().ToString("N")));
    Print("Reply suggestion works again (paid from the boost pack)", (await ledger.CommitAsync("acme", afterBoost.Reservation!.Id)).Balance);

    clock.Set(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    Print("Midnight on December 1st: the allocation refreshes, the boost pack stays", await ledger.GetBalanceAsync("acme"));

    var usage = await ledger.GetUsageAsync("acme", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
    Console.WriteLine("AI performance for November:");
    foreach (var row in usage.ByFeature)
    {
        Console.WriteLine($"   {row.Feature,-22} {row.Credits,6:N0} credits in {row.Calls} calls");
    }

    var verification = await ledger.VerifyAsync("acme");
    Console.WriteLine($"Audit: {verification.EntryCount} entries replay to the stored balance: {verification.IsConsistent}");
}

File.Delete(path);
File.Delete(path + "-wal");
File.Delete(path + "-shm");

static void Print(string step, CreditBalance b)
{
    Console.WriteLine($"-> {step}");
    Console.WriteLine($"   {b.Plan}: used {b.Used:N0}/{b.Allocation:N0}, boost {b.BoostRemaining:N0}, held {b.Held:N0}, available {b.Available:N0}" +
        (b.Paused ? $", PAUSED ({b.PauseReason}) until {b.ResumesAt:yyyy-MM-dd HH:mm} UTC" : string.Empty));
}
