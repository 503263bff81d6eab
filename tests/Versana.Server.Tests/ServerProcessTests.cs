using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Versana.Server.Tests;

/// <summary>The server as its own OS process: killed with SIGKILL under load, restarted on the same SQLite file.</summary>
public sealed class ServerProcessTests : IDisposable
{
    private const string AdminKey = "va_process-test-admin-key-0123456789abcdef";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("versana-kill-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task KilledUnderLoad_RestartedOnTheSameFile_KeepsEveryAcknowledgedCommit()
    {
        var port = FreePort();
        var database = Path.Combine(_folder.FullName, "server.db");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var first = await StartServerAsync(port, database, http);
        string key;
        using (var admin = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces") { Content = JsonContent.Create(new { workspaceId = "acme", plan = "Scale" }) })
        {
            admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            using var created = await http.SendAsync(admin);
            key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
        }

        // Load: committed pairs, plus holds that are never committed (they must expire after the restart).
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var held = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var id = await ReserveAsync(http, key, $"w{worker}-{i}", ttlSeconds: 2);
                    if (id is null)
                    {
                        continue;
                    }

                    if (i % 5 == 4)
                    {
                        held.Add(id);
                        continue;
                    }

                    using var commit = new HttpRequestMessage(HttpMethod.Post, $"v1/workspaces/acme/reservations/{id}/commit");
                    commit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                    using var response = await http.SendAsync(commit);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add(id);
                    }
                }
                catch (HttpRequestException)
                {
                    // The server is gone mid-call: nothing was acknowledged.
                }
            }
        })).ToArray();

        using (var enough = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (acknowledged.Count < 300)
            {
                await Task.Delay(20, enough.Token);
            }
        }

        first.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
        await first.WaitForExitAsync();
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var second = await StartServerAsync(port, database, http);
        try
        {
            foreach (var id in acknowledged)
            {
                var reservation = await GetAsync(http, key, $"v1/workspaces/acme/reservations/{id}");
                Assert.Equal("Committed", reservation.GetProperty("status").GetString());
            }

            var verification = await GetAsync(http, key, "v1/workspaces/acme/verification");
            Assert.Empty(verification.GetProperty("differences").EnumerateArray());
            Assert.True(verification.GetProperty("stored").GetProperty("used").GetInt64() >= acknowledged.Count);

            // The dead run's holds expire (2 s TTL) and give their credits back.
            using var expire = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((await GetAsync(http, key, "v1/workspaces/acme/balance")).GetProperty("held").GetInt64() > 0)
            {
                await Task.Delay(100, expire.Token);
            }

            var balance = await GetAsync(http, key, "v1/workspaces/acme/balance");
            Assert.Equal(30_000 - balance.GetProperty("used").GetInt64(), balance.GetProperty("available").GetInt64());
            Assert.NotEmpty(held);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }

    private static async Task<string?> ReserveAsync(HttpClient http, string key, string idempotencyKey, int ttlSeconds)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces/acme/reservations") { Content = JsonContent.Create(new { feature = "ConversationSummary", ttlSeconds }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.Created
            ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reservation").GetProperty("id").GetString()
            : null;
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string key, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<Process> StartServerAsync(int port, string database, HttpClient http)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "Versana.Server.dll"),
                "--urls", $"http://127.0.0.1:{port}",
                "--Versana:DatabasePath", database,
                "--Versana:AdminKey", AdminKey,
                "--Versana:DemoWorkspace", "",
                "--Logging:LogLevel:Default", "Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("The server process did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(process.HasExited, "The server process exited during start-up.");
            try
            {
                using var health = await http.GetAsync("healthz", ready.Token);
                if (health.IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50, ready.Token);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
