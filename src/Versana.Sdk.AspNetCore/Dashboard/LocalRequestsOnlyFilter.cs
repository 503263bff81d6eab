using System.Net;
using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore;

/// <summary>Answers 404 to any request that does not come from this machine, as if the dashboard were not there.</summary>
internal sealed class LocalRequestsOnlyFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        => IsLocal(context.HttpContext)
            ? next(context)
            : ValueTask.FromResult<object?>(TypedResults.NotFound());

    /// <summary>
    /// Whether the request comes from this machine (loopback, or the machine's own address) and names this machine in
    /// its <c>Host</c>: a page of another site that points its own name at 127.0.0.1 (DNS rebinding) sends that name.
    /// </summary>
    internal static bool IsLocal(HttpContext context)
    {
        var connection = context.Connection;
        var fromHere = connection.RemoteIpAddress switch
        {
            null => false,
            var remote when IPAddress.IsLoopback(remote) => true,
            var remote => connection.LocalIpAddress is not null && remote.Equals(connection.LocalIpAddress),
        };
        return fromHere && NamesThisMachine(context.Request.Host, connection.LocalIpAddress);
    }

    private static bool NamesThisMachine(HostString host, IPAddress? localAddress)
    {
        var name = host.Host;
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(name.Trim('[', ']'), out var address)
            && (IPAddress.IsLoopback(address) || address.Equals(localAddress));
    }
}
