using System.Diagnostics;

namespace Versana.Sdk.Sqlite.Tests;

public sealed class SqliteCrashTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ProcessKilledWhileCommitting_LosesNoAcknowledgedCommit()
    {
        var child = Path.Combine(AppContext.BaseDirectory, "Versana.Sdk.Sqlite.CrashChild.dll");
        Assert.True(File.Exists(child), $"The crash child was not built next to the tests: {child}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(child);
        start.ArgumentList.Add(_database.Path);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();

        // Every "ack" line the child wrote before it died was acknowledged to its caller, including the
        // lines still in the pipe when the kill lands: read to the end of the stream after the kill.
        var acknowledged = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("ack ", StringComparison.Ordinal))
            {
                acknowledged.Add(line[4..]);
                if (acknowledged.Count == 500)
                {
                    // SIGKILL mid-write: no chance to flush, dispose or finish a transaction.
                    process.Kill(entireProcessTree: true);
                }
            }
        }

        await process.WaitForExitAsync();
        Assert.True(acknowledged.Count >= 500, "The child did not acknowledge 500 commits: " + await stderr);
        string[] acked = [.. acknowledged];

        await using var ledger = SqliteCreditLedger.Open(_database.Path);
        foreach (var id in acked)
        {
            var reservation = await ledger.GetReservationAsync("crash", id);
            Assert.NotNull(reservation);
            Assert.Equal(ReservationStatus.Committed, reservation.Status);
        }

        var balance = await ledger.GetBalanceAsync("crash");
        Assert.True(balance.Used >= acked.Length, $"{balance.Used} used < {acked.Length} acknowledged");
        var verification = await ledger.VerifyAsync("crash");
        Assert.True(verification.IsConsistent, string.Join("; ", verification.Differences));
    }
}
