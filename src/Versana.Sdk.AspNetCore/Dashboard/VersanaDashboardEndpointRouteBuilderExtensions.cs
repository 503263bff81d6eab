using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Versana.Sdk.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts the Versana usage dashboard into an app.</summary>
public static class VersanaDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Mounts the usage dashboard at <paramref name="pattern"/>: balance, usage trend, per-feature breakdown,
    /// threshold warnings, the forecast day the pool runs out, and boost pack purchase. Local requests only
    /// unless <see cref="VersanaDashboardOptions.AuthorizationPolicy"/> is set.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="pattern">The path prefix, such as <c>/versana</c>.</param>
    /// <param name="configure">Configures the dashboard, or <see langword="null"/>.</param>
    /// <returns>A builder for the dashboard's endpoints, to add conventions to.</returns>
    public static IEndpointConventionBuilder MapVersanaDashboard(this IEndpointRouteBuilder endpoints, string pattern = "/versana", Action<VersanaDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var options = new VersanaDashboardOptions();
        configure?.Invoke(options);

        var group = endpoints.MapGroup(pattern).ExcludeFromDescription().DisableCreditGuard();
        if (options.AuthorizationPolicy is { } policy)
        {
            group.RequireAuthorization(policy);
        }
        else
        {
            group.AddEndpointFilter(new LocalRequestsOnlyFilter());
        }

        group.MapGet("/", (Func<HttpContext, Task<IResult>>)(context => DashboardEndpoints.PageAsync(context, options)));
        group.MapGet("/dashboard.js", () => DashboardEndpoints.Asset("dashboard.js", "text/javascript; charset=utf-8"));
        group.MapGet("/dashboard.css", () => DashboardEndpoints.Asset("dashboard.css", "text/css; charset=utf-8"));
        group.MapGet("/chart.umd.min.js", () => DashboardEndpoints.Asset("chart.umd.min.js", "text/javascript; charset=utf-8"));
        group.MapGet("/api/workspaces/{workspaceId}/summary", (string workspaceId, HttpContext context, Versana.Sdk.ICreditLedger ledger, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Versana.Sdk.VersanaOptions> versana)
            => DashboardEndpoints.SummaryAsync(workspaceId, context, ledger, clock, versana, options));
        group.MapPost("/api/workspaces/{workspaceId}/boost-packs", (string workspaceId, Versana.Sdk.BoostPackBody? body, HttpContext context, Versana.Sdk.ICreditLedger ledger)
            => DashboardEndpoints.BuyBoostPackAsync(workspaceId, body, context, ledger, options));
        return group;
    }
}
