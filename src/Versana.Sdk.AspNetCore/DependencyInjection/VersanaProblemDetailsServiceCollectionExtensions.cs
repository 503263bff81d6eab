using Microsoft.Extensions.DependencyInjection.Extensions;
using Versana.Sdk.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Turns refused AI calls into problem details wherever they are thrown.</summary>
public static class VersanaProblemDetailsServiceCollectionExtensions
{
    /// <summary>
    /// Adds problem details and an exception handler that answers an <see cref="Versana.Sdk.AiPausedException"/> as the
    /// credit guard middleware answers a refusal (402 or 403, the problem type, <c>Retry-After</c>, the balance header).
    /// Add <c>app.UseExceptionHandler()</c> to the pipeline for it to run.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddVersanaProblemDetails(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProblemDetails();
        services.TryAddSingleton(TimeProvider.System);
        services.AddExceptionHandler<AiPausedExceptionHandler>();
        return services;
    }
}
