// Versana SDK quickstart: a Starter workspace on the embedded SQLite ledger with the offline AI engine.
// No server, no key, no network. It uses each AI feature through the guarded clients, runs the pool dry,
// buys a boost pack, and crosses into the next month on a clock the sample controls.
using Microsoft.Extensions.DependencyInjection;
using Quickstart;
using Versana.Sdk;

var path = Path.Combine(Path.GetTempPath(), $"versana-quickstart-{Guid.NewGuid():N}.db");
var clock = new SampleClock(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

var services = new ServiceCollection();
services.AddSingleton<TimeProvider>(clock);
services.AddVersana(options => options.WorkspaceId = "acme")
    .UseSqliteLedger(path)
    .UseOfflineBackend();

await using (var provider = services.BuildServiceProvider())
{
    var ledger = provider.GetRequiredService<ICreditLedger>();
    var guard = provider.GetRequiredService<ICreditGuard>();
    Print("Create a Starter workspace with automation on", await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter") { AutomationEnabled = true }));

    var thread = new Conversation("c-1042",
    [
        new("Dana Ruiz", "Hi, I was charged twice for my subscription this month. Can you refund the extra payment?", true),
        new("Sam (agent)", "Sorry about that, Dana. I'm checking your invoices now.", false),
        new("Dana Ruiz", "Thanks. I need this sorted before our finance review on Friday, it's frustrating.", true),
    ]);

    var classification = await provider.GetRequiredService<IClassificationClient>().ClassifyAsync(thread.Messages[0].Text);
    Print($"Classify the customer's message: {classification.Intent}, {classification.Sentiment}, {classification.Priority}", await guard.GetBalanceAsync());

    var summary = await provider.GetRequiredService<IConversationSummaryClient>().SummarizeAsync(thread);
    Print($"Summarise the thread: \"{summary.Text}\"", await guard.GetBalanceAsync());

    var draft = await provider.GetRequiredService<IReplySuggestionClient>().SuggestReplyAsync(thread);
    Print($"Suggest a reply: \"{draft.Text.Split('\n')[0]}\"", await guard.GetBalanceAsync());

    var automated = await provider.GetRequiredService<IAutomatedResponseClient>().RespondAsync(thread);
    Print($"Automated response (2 credits), hand off to an agent: {automated.HandOffToAgent}", await guard.GetBalanceAsync());

    // A failed AI call costs nothing: the guard releases the reservation.
    try
    {
        await guard.ExecuteAsync<string>(AiFeature.ConversationSummary, (_, _) => throw new TimeoutException("the model timed out"));
    }
    catch (TimeoutException)
    {
        Print("A summary fails: its credits go back", await guard.GetBalanceAsync());
    }

    // Month-end batch: summarise until the pool is empty.
    var summaries = 0;
    var summariser = provider.GetRequiredService<IConversationSummaryClient>();
    while (true)
    {
        try
        {
            await summariser.SummarizeAsync(thread);
            summaries++;
        }
        catch (AiPausedException paused)
        {
            Print($"Month-end batch: {summaries:N0} summaries, then AI pauses", paused.Balance!);
            Console.WriteLine($"   Refused: {paused.Reason}. {paused.Message}");
            Console.WriteLine($"   Boost packs on offer: {string.Join(", ", paused.BoostPackSizes.Select(s => $"{s:N0}"))} credits");
            break;
        }
    }

    // Agents keep working by hand: free actions never touch the ledger.
    var fallback = await guard.TryExecuteAsync(AiFeature.ReplySuggestion, (_, ct) => new ValueTask<ReplySuggestion>(new OfflineAiBackend().SuggestReplyAsync(thread, ct)));
    Console.WriteLine($"-> TryExecuteAsync while paused: succeeded = {fallback.Succeeded}; the agent writes the reply by hand (free).");

    Print("Buy a 1,000-credit boost pack: the pause lifts at once", (await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1_000, "boost-1"))).Balance);
    await provider.GetRequiredService<IReplySuggestionClient>().SuggestReplyAsync(thread);
    Print("Suggest a reply again (paid from the boost pack)", await guard.GetBalanceAsync());

    clock.Set(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    Print("Midnight on December 1st: the allocation refreshes, the boost pack stays", await ledger.GetBalanceAsync("acme"));

    var usage = await ledger.GetUsageAsync("acme", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
    Console.WriteLine("AI performance for November:");
    foreach (var row in usage.ByFeature)
    {
        Console.WriteLine($"   {row.Feature,-22} {row.Credits,6:N0} credits in {row.Calls:N0} calls");
    }

    var verification = await ledger.VerifyAsync("acme");
    Console.WriteLine($"Audit: {verification.EntryCount:N0} entries replay to the stored balance: {verification.IsConsistent}");
}

foreach (var file in new[] { path, path + "-wal", path + "-shm" })
{
    File.Delete(file);
}

static void Print(string step, CreditBalance b)
{
    Console.WriteLine($"-> {step}");
    Console.WriteLine($"   {b.Plan}: used {b.Used:N0}/{b.Allocation:N0}, boost {b.BoostRemaining:N0}, held {b.Held:N0}, available {b.Available:N0}" +
        (b.Paused ? $", PAUSED ({b.PauseReason}) until {b.ResumesAt:yyyy-MM-dd HH:mm} UTC" : string.Empty));
}
