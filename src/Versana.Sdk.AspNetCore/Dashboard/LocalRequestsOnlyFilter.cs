using System.Net;
using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore;

/// <summary>Answers 404 to any request that does not come from this machine, as if the dashboard were not there.</summary>
internal sealed class LocalRequestsOnlyFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        => IsLocal(context.HttpContext.Connection)
            ? next(context)
            : ValueTask.FromResult<object?>(TypedResults.NotFound());

    internal static bool IsLocal(ConnectionInfo connection) => connection.RemoteIpAddress switch
    {
        null => true, // in-process test servers have no socket
        var remote when IPAddress.IsLoopback(remote) => true,
        var remote => connection.LocalIpAddress is not null && remote.Equals(connection.LocalIpAddress),
    };
}
