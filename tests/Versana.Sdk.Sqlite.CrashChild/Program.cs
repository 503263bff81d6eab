// Commits reservations in a loop on the ledger file given as the first argument, printing
// "ack <reservation id>" only after CommitAsync returned: every printed id was acknowledged.
using Versana.Sdk;
using Versana.Sdk.Sqlite;

var path = args[0];
var workers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 4;
await using var ledger = SqliteCreditLedger.Open(path);
await ledger.CreateWorkspaceAsync(new WorkspaceSettings("crash", "Scale"));
var output = Console.Out;
var gate = new object();

lock (gate)
{
    output.WriteLine("ready");
    output.Flush();
}

await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
{
    for (var i = 0; ; i++)
    {
        var reservation = await ledger.ReserveAsync("crash", new ReservationRequest(AiFeature.ReplySuggestion, $"w{worker}-{i}"));
        if (!reservation.IsGranted)
        {
            return;
        }

        // Leave some reservations held so the reopened ledger has open ones to expire.
        if (i % 10 == 9)
        {
            continue;
        }

        await ledger.CommitAsync("crash", reservation.Reservation.Id);
        lock (gate)
        {
            output.WriteLine($"ack {reservation.Reservation.Id}");
            output.Flush();
        }
    }
})));
