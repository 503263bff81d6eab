using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

using Xunit;

namespace Versana.Sdk.Testing;

/// <summary>
/// A throwaway PostgreSQL server: initdb into a temp folder, pg_ctl start on a free loopback port, stopped and
/// deleted afterwards. As root the server runs as the <c>postgres</c> user (it refuses root). A machine without
/// PostgreSQL fails the tests with what to install; they never skip.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("versana-pg-").FullName;
    private string _bin = "";
    private bool _asPostgresUser;

    public int Port { get; private set; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=versana;Database=postgres;Timeout=10;Command Timeout=30";

    private string Data => Path.Combine(_folder, "data");

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        _asPostgresUser = Environment.UserName == "root";
        var socket = Path.Combine(_folder, "socket");
        Directory.CreateDirectory(socket);
        if (_asPostgresUser)
        {
            await RunAsync("chown", "-R", "postgres:postgres", _folder);
        }

        await RunAsPostgresAsync(Path.Combine(_bin, "initdb"), "-D", Data, "-A", "trust", "-U", "versana", "--no-sync", "-E", "UTF8");
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Starts (or restarts) the server on its port; the first start picks a free one.</summary>
    public async Task StartAsync()
    {
        if (Port == 0)
        {
            Port = FreePort();
        }

        await RunAsPostgresAsync(
            Path.Combine(_bin, "pg_ctl"), "-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {Path.Combine(_folder, "socket")} -c listen_addresses=127.0.0.1 -c max_connections=200", "start");

        // Connections pooled before a restart are dead: the helpers below must not pick one up.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Stops the server at once (fast mode: open transactions are rolled back).</summary>
    public Task StopAsync() => RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-m", "fast", "-w", "stop");

    /// <summary>A connection string for a fresh schema name, so each ledger starts empty.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N");

    /// <summary>Runs <paramref name="sql"/> and returns the number in its first column of its first row.</summary>
    public async Task<long> ScalarAsync(string sql)
        => Convert.ToInt64(await ScalarValueAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="sql"/> and returns the text in its first column of its first row.</summary>
    public async Task<string> TextAsync(string sql)
        => await ScalarValueAsync(sql) as string ?? throw new InvalidOperationException($"No text from: {sql}");

    private async Task<object?> ScalarValueAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Gets the path of this server's <c>pgbench</c>.</summary>
    public string PgBench => Path.Combine(_bin, "pgbench");

    private static string FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin"))
            : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException(
                "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb). Run tests/run.sh, which installs Debian's postgresql, or apt-get install postgresql.");
    }

    private Task RunAsPostgresAsync(string file, params string[] arguments)
        => _asPostgresUser ? RunAsync("runuser", ["-u", "postgres", "--", file, .. arguments]) : RunAsync(file, arguments);

    internal static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
