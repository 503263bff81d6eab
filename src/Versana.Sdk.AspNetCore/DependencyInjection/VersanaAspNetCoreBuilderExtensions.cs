using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Versana.Sdk;
using Versana.Sdk.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the ASP.NET Core credit guard to the Versana services.</summary>
public static class VersanaAspNetCoreBuilderExtensions
{
    /// <summary>
    /// Registers the credit guard middleware (add it to the pipeline with <c>app.UseCreditGuard()</c>) and
    /// charges guarded clients to the current request's workspace.
    /// </summary>
    /// <param name="builder">The Versana builder.</param>
    /// <param name="configure">Configures workspace resolution, headers and refusals, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static VersanaBuilder AddCreditGuardMiddleware(this VersanaBuilder builder, Action<CreditGuardMiddlewareOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddHttpContextAccessor();
        services.AddOptions<CreditGuardMiddlewareOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CreditGuardMiddlewareOptions>, CreditGuardMiddlewareOptionsValidator>());
        services.TryAddSingleton<HttpWorkspaceResolver>();
        services.TryAddSingleton<CreditGuardStartupCheck>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, CreditGuardStartupCheck>(static sp => sp.GetRequiredService<CreditGuardStartupCheck>()));
        builder.UseWorkspaceAccessor<HttpWorkspaceAccessor>();
        return builder;
    }
}
