using System.Globalization;
using Versana.Sdk;
using Versana.Sdk.PostgreSql;

// A separate OS process on a shared PostgreSQL ledger, for the multi-process tests.
//   drain <connection> <schema> <workspace> <tag>       reserve+commit 1 credit until refused; prints "charged <n>"
//   hold  <connection> <schema> <workspace> <n> <ttl-s> reserve n credits and keep them; prints "held", waits to be killed
var (mode, connection, schema, workspace) = (args[0], args[1], args[2], args[3]);
await using var ledger = PostgresCreditLedger.Open(new PostgresLedgerOptions { ConnectionString = connection, Schema = schema });

if (mode == "drain")
{
    var tag = args[4];
    long charged = 0;
    for (var i = 0; ; i++)
    {
        var reserved = await ledger.ReserveAsync(workspace, new ReservationRequest(AiFeature.ConversationSummary, $"{tag}-{i}") { Credits = 1 });
        if (!reserved.IsGranted)
        {
            break;
        }

        charged += (await ledger.CommitAsync(workspace, reserved.Reservation.Id)).Charged;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"charged {charged}"));
}
else if (mode == "hold")
{
    var count = int.Parse(args[4], CultureInfo.InvariantCulture);
    var ttl = TimeSpan.FromSeconds(int.Parse(args[5], CultureInfo.InvariantCulture));
    for (var i = 0; i < count; i++)
    {
        var reserved = await ledger.ReserveAsync(workspace, new ReservationRequest(AiFeature.ConversationSummary, $"hold-{i}") { Credits = 10, Ttl = ttl });
        if (!reserved.IsGranted)
        {
            throw new InvalidOperationException("Refused: " + reserved.Denial.Message);
        }
    }

    Console.WriteLine("held");
    await Task.Delay(Timeout.Infinite);
}
