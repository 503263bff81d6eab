using System.Diagnostics;

namespace Versana.Sdk.PostgreSql.Tests;

/// <summary>Several OS processes on one workspace of one PostgreSQL ledger.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiProcessTests(PostgresServer server)
{
    // The child runs from its own output folder: this test project is an ASP.NET Core app (it hosts the
    // server too), and a plain console app must find assemblies that shared framework supplies here.
    private static string Child
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(output.Parent!.Parent!.FullName, "Versana.Sdk.PostgreSql.LoadChild", output.Name, "Versana.Sdk.PostgreSql.LoadChild.dll");
        }
    }

    private static Process StartChild(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Child);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
    }

    [Fact]
    public async Task FourProcessesDrainingOnePool_ChargeExactlyWhatWasThere()
    {
        var schema = PostgresServer.NewSchema();
        await using var ledger = PostgresCreditLedger.Open(new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = schema });
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));

        var children = Enumerable.Range(0, 4).Select(i => StartChild("drain", server.ConnectionString, schema, "acme", $"p{i}")).ToList();
        long total = 0;
        foreach (var child in children)
        {
            using (child)
            {
                var output = await child.StandardOutput.ReadToEndAsync();
                await child.WaitForExitAsync();
                Assert.True(child.ExitCode == 0, output + await child.StandardError.ReadToEndAsync());
                var charged = long.Parse(output.Trim().Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(charged > 0, "every process got some of the pool: they really ran side by side");
                total += charged;
            }
        }

        var balance = await ledger.GetBalanceAsync("acme");
        Assert.Equal(3000, total);
        Assert.Equal((3000, 0, 0), (balance.Used, balance.Held, balance.Available));
        Assert.Equal(3000, await server.ScalarAsync($"SELECT count(*) FROM {schema}.entries WHERE workspace_id = 'acme' AND kind = {(int)LedgerEntryKind.Committed}"));
        var verification = await ledger.VerifyAsync("acme");
        Assert.True(verification.IsConsistent, string.Join("; ", verification.Differences));
        Assert.Equal(3000, await server.ScalarAsync($"SELECT count(*) FROM {schema}.entries WHERE kind = {(int)LedgerEntryKind.Reserved}"));
    }

    [Fact]
    public async Task AProcessKilledWhileHoldingCredits_TheyComeBackAfterTheTtl_ExactlyOnce()
    {
        var schema = PostgresServer.NewSchema();
        var options = new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = schema };
        await using var first = PostgresCreditLedger.Open(options);
        await using var second = PostgresCreditLedger.Open(options);
        await first.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));

        using (var holder = StartChild("hold", server.ConnectionString, schema, "acme", "5", "2"))
        {
            Assert.Equal("held", (await holder.StandardOutput.ReadLineAsync())?.Trim());
            holder.Kill(entireProcessTree: true); // SIGKILL
            await holder.WaitForExitAsync();
        }

        Assert.Equal(50, (await first.GetBalanceAsync("acme")).Held);

        // Two processes' ledgers touch the workspace while the holds expire: each hold is released once.
        await WaitUntilNothingHeldAsync(first, second);

        var balance = await first.GetBalanceAsync("acme");
        Assert.Equal((0, 0, 3000), (balance.Used, balance.Held, balance.Available));
        Assert.Equal(5, await server.ScalarAsync($"SELECT count(*) FROM {schema}.entries WHERE kind = {(int)LedgerEntryKind.ReservationExpired}"));
        Assert.True((await second.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task PostgresRestartedUnderLoad_ClearErrorsDuringTheOutage_NothingAcknowledgedLost()
    {
        var schema = PostgresServer.NewSchema();
        var options = new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = schema };
        await using var ledger = PostgresCreditLedger.Open(options);
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Scale"));

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var outageErrors = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var reserved = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, $"w{worker}-{i}"));
                    await ledger.CommitAsync("acme", reserved.Reservation!.Id);
                    acknowledged.Add(reserved.Reservation.Id);
                }
                catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.LedgerUnavailable)
                {
                    // The outage: a clear error, nothing acknowledged. An unanswered hold expires by its TTL.
                    Interlocked.Increment(ref outageErrors);
                    await Task.Delay(20);
                }
            }
        })).ToArray();

        await WaitForAsync(() => acknowledged.Count > 200);
        await server.StopAsync();
        await WaitForAsync(() => Volatile.Read(ref outageErrors) > 0);
        var beforeRestart = acknowledged.Count;
        await server.StartAsync();
        await WaitForAsync(() => acknowledged.Count > beforeRestart + 200);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        // Asked of a second ledger: every acknowledged commit reached PostgreSQL.
        await using var other = PostgresCreditLedger.Open(options);
        foreach (var id in acknowledged)
        {
            Assert.Equal(ReservationStatus.Committed, (await other.GetReservationAsync("acme", id))?.Status);
        }

        var verification = await other.VerifyAsync("acme");
        Assert.True(verification.IsConsistent, string.Join("; ", verification.Differences));
        Assert.True(verification.Stored.Used >= acknowledged.Count);
    }

    /// <summary>Two processes' ledgers touch the workspace until nothing is held: each expiry happens once between them.</summary>
    private static async Task WaitUntilNothingHeldAsync(CreditLedger first, CreditLedger second)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var balances = await Task.WhenAll(first.GetBalanceAsync("acme").AsTask(), second.GetBalanceAsync("acme").AsTask());
            if (balances.All(b => b.Held == 0))
            {
                return;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
