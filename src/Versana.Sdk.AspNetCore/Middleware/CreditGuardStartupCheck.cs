using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Fails the app's start when it maps endpoints that require AI credits but its pipeline never calls
/// <c>UseCreditGuard()</c>: those endpoints would run without charging anything, as authorization metadata without
/// the authorization middleware would run unchecked.
/// </summary>
internal sealed class CreditGuardStartupCheck : IStartupFilter
{
    private volatile bool _middlewareAdded;

    /// <summary>Records that a pipeline of the app calls <c>UseCreditGuard()</c>.</summary>
    public void MiddlewareAdded() => _middlewareAdded = true;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // The app's own middleware and endpoints are added by next, so they are known only once it returns.
        next(app);
        if (_middlewareAdded || app.ApplicationServices.GetService<EndpointDataSource>() is not { } endpoints)
        {
            return;
        }

        foreach (var endpoint in endpoints.Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<IAiCreditsMetadata>() is { } credits && endpoint.Metadata.GetMetadata<IDisableCreditGuardMetadata>() is null)
            {
                throw new InvalidOperationException(
                    $"Endpoint '{endpoint.DisplayName}' requires AI credits ({credits.Feature}), but the app's pipeline has no credit guard, so it would run "
                    + "without charging anything. Call app.UseCreditGuard() after app.UseRouting() and authentication, before the endpoints.");
            }
        }
    };
}
