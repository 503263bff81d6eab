using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Versana.Sdk.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the credits HTTP API's services: API key authentication, authorization, rate limiting.</summary>
public static class VersanaCreditsApiBuilderExtensions
{
    /// <summary>
    /// Registers what <c>MapVersanaCreditsApi()</c> needs: the <c>VersanaApiKey</c> authentication scheme
    /// (workspace keys and the admin key), the workspace-isolation policies, the API's rate limiter and an
    /// in-memory API key store unless an <see cref="IApiKeyStore"/> is registered.
    /// </summary>
    /// <param name="builder">The Versana builder.</param>
    /// <param name="configure">Configures the API (admin key, size and rate limits).</param>
    /// <returns>The builder.</returns>
    public static VersanaBuilder AddCreditsApi(this VersanaBuilder builder, Action<CreditsApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<CreditsApiOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CreditsApiOptions>, CreditsApiOptionsValidator>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<IApiKeyStore, InMemoryApiKeyStore>();
        services.TryAddSingleton<ApiKeyCache>();
        builder.AddCreditGuardMiddleware();

        // AddScheme<TOptions, THandler> wants an AuthenticationHandler<TOptions>; the scheme's handler is a plain
        // IAuthenticationHandler (see its remarks), registered as AddScheme registers one.
        services.AddAuthentication();
        services.Configure<AuthenticationOptions>(o => o.AddScheme(ApiKeyAuthenticationHandler.SchemeName, scheme => scheme.HandlerType = typeof(ApiKeyAuthenticationHandler)));
        services.TryAddTransient<ApiKeyAuthenticationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, CreditsApiAuthorizationResultHandler>();

        // The policies name the API key scheme only when the app's default scheme is another one (see
        // CreditsApiPolicies). The workspace requirement is its own handler, which the authorization service's
        // pass-through handler runs; registered as an IAuthorizationHandler too, it would run twice a request.
        services.AddAuthorization();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<AuthorizationOptions>, CreditsApiPolicies>());

        services.AddRateLimiter(limiter => limiter.AddPolicy<string, CreditsApiRateLimiterPolicy>(CreditsApiEndpointRouteBuilderExtensions.RateLimitPolicy));
        return builder;
    }
}
