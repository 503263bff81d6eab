using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Versana.Sdk.Testing;

namespace Versana.Sdk.PostgreSql.Tests;

/// <summary>Versana server replicas on loopback ports, all on the test PostgreSQL database.</summary>
internal sealed class ServerReplicas : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("versana-replicas-");

    private ServerReplicas()
    {
    }

    /// <summary>Gets each running replica's base address.</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    /// <summary>Starts <paramref name="count"/> replicas; <paramref name="services"/> adds to each one's services (a clock, options).</summary>
    public static async Task<ServerReplicas> StartAsync(PostgresServer server, int count, string adminKey, Action<IServiceCollection>? services = null)
    {
        var replicas = new ServerReplicas();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var app = await Versana.Server.VersanaServer.CreateAsync(
                [
                    "--urls", "http://127.0.0.1:0",
                    "--Versana:Store", "Postgres",
                    "--Versana:PostgresConnectionString", server.ConnectionString,
                    "--Versana:DatabasePath", Path.Combine(replicas._folder.FullName, $"unused{i}.db"),
                    "--Versana:AdminKey", adminKey,
                    "--Versana:DemoWorkspace", "",
                    "--Logging:LogLevel:Default", "Warning",
                ], TextWriter.Null, services);
                await app.StartAsync();
                replicas._apps.Add(app);
            }
        }
        catch
        {
            await replicas.DisposeAsync();
            throw;
        }

        replicas.Addresses = [.. replicas._apps.Select(a => new Uri(a.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/"))];
        return replicas;
    }

    /// <summary>Stops every replica; a second call does nothing.</summary>
    public async Task StopAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        _apps.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Delete(recursive: true);
    }
}
