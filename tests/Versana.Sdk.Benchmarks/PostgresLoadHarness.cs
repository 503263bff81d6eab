using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Versana.Sdk.PostgreSql;
using Versana.Sdk.Testing;

namespace Versana.Sdk.Benchmarks;

/// <summary>
/// Reserve+commit pairs per second on one workspace of the PostgreSQL ledger from N OS processes, next to
/// pgbench running a one-row conditional UPDATE on the same throwaway server in the same run (the hot-row ceiling).
/// </summary>
internal static partial class PostgresLoadHarness
{
    public static async Task RunAsync(string[] args)
    {
        var processes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var callers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        var server = new PostgresServer();
        await server.InitializeAsync();
        try
        {
            Console.WriteLine($"PostgreSQL ledger, one workspace, {processes} processes x {callers} callers, {seconds} s per run, {Environment.ProcessorCount} cores");
            var ceiling = await PgBenchAsync(server, processes, seconds);
            Console.WriteLine(FormattableString.Invariant($"  pgbench one-row UPDATE, {processes} clients:  {ceiling,10:N0} tps (the hot-row ceiling)"));

            var schema = PostgresServer.NewSchema();
            var options = new CreditLedgerOptions();
            options.Plans.Add(new CreditPlan("Bench", 0m, 1_000_000_000_000));
            await using var ledger = PostgresCreditLedger.Open(new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = schema }, options);
            await ledger.CreateWorkspaceAsync(new WorkspaceSettings("load", "Bench"));

            var (pairs, p50, p99, jitMs) = await LedgerAsync(server, schema, processes, seconds, callers);

            // Every child has exited: the pool must show exactly the pairs made.
            var balance = await ledger.GetBalanceAsync("load");
            var verification = await ledger.VerifyAsync("load");
            var exact = balance.Used == (long)Math.Round(pairs * seconds) && balance.Held == 0 && verification.IsConsistent;
            const string label = "row lock, group commit";
            Console.WriteLine(FormattableString.Invariant(
                $"  ledger {label,-36} {pairs,10:N0} pairs/s   p50 {p50:0.00} ms  p99 {p99:0.00} ms   = {pairs / ceiling:P1} of the ceiling ({pairs / ceiling:0.00}x)   used {balance.Used:N0}, held {balance.Held}, replay {(verification.IsConsistent ? "consistent" : "INCONSISTENT")}, JIT in the run <= {jitMs:N0} ms per process{(exact ? "" : "  <-- NOT EXACT")}"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<double> PgBenchAsync(PostgresServer server, int clients, int seconds)
    {
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("DROP TABLE IF EXISTS acct; CREATE TABLE acct (id int PRIMARY KEY, used bigint NOT NULL, cap bigint NOT NULL); INSERT INTO acct VALUES (1, 0, 9223372036854775000);", connection);
            await command.ExecuteNonQueryAsync();
        }

        var script = Path.Combine(Path.GetTempPath(), $"versana-pgbench-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, "UPDATE acct SET used = used + 1 WHERE id = 1 AND used + 1 <= cap;\n");
        try
        {
            var output = await RunAsync(server.PgBench, "-n", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture),
                "-f", script, "-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", "versana", "postgres");
            return double.Parse(Tps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <returns>Pairs per second, the worst process's p50 and p99, and the most JIT time a process spent in the measured run.</returns>
    private static async Task<(double Pairs, double P50, double P99, double JitMs)> LedgerAsync(PostgresServer server, string schema, int processes, int seconds, int callers)
    {
        // The child runs from its own output folder: this one is an ASP.NET Core app, whose shared framework
        // supplies assemblies a plain console app must find beside itself.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var child = Path.Combine(output.Parent!.Parent!.FullName, "Versana.Sdk.PostgreSql.LoadChild", output.Name, "Versana.Sdk.PostgreSql.LoadChild.dll");
        var children = Enumerable.Range(0, processes).Select(i =>
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true };
            foreach (var argument in new[] { child, "bench", server.ConnectionString, schema, "load", $"p{i}", seconds.ToString(CultureInfo.InvariantCulture), callers.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            // Every method compiled once, fully optimised, during the warm-up: with tiering on, promoting hot
            // methods went on into the measured run (up to 6 s of JIT per process in a 15 s run here).
            start.Environment["DOTNET_TieredCompilation"] = "0";
            return Process.Start(start)!;
        }).ToList();

        foreach (var process in children)
        {
            _ = await process.StandardOutput.ReadLineAsync(); // "ready"
        }

        foreach (var process in children)
        {
            await process.StandardInput.WriteLineAsync("go");
        }

        double pairs = 0, p50 = 0, p99 = 0, jit = 0;
        foreach (var process in children)
        {
            var error = process.StandardError.ReadToEndAsync();
            var line = (await process.StandardOutput.ReadToEndAsync()).Trim().Split(' ');
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || line.Length < 6)
            {
                throw new InvalidOperationException($"A load child failed: {string.Join(' ', line)}\n{await error}");
            }

            pairs += double.Parse(line[1], CultureInfo.InvariantCulture);
            p50 = Math.Max(p50, double.Parse(line[3], CultureInfo.InvariantCulture));
            p99 = Math.Max(p99, double.Parse(line[5], CultureInfo.InvariantCulture));
            jit = Math.Max(jit, line.Length > 7 ? double.Parse(line[7], CultureInfo.InvariantCulture) : 0);
            process.Dispose();
        }

        return (pairs / seconds, p50, p99, jit);
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} failed:\n{output}\n{error}");
    }

    [GeneratedRegex(@"tps = ([\d.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
