using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Versana.Sdk;
using Versana.Sdk.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Marks endpoints as spending AI credits, in the style of <c>RequireRateLimiting</c>.
/// </summary>
public static class CreditGuardEndpointConventionBuilderExtensions
{
    private static readonly string[] s_problemContentTypes = ["application/problem+json"];

    /// <summary>Charges the endpoint to the workspace pool as <paramref name="feature"/>.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint convention builder.</param>
    /// <param name="feature">The feature the endpoint spends.</param>
    /// <param name="credits">The credits to reserve, or <see langword="null"/> for the feature's configured cost.</param>
    /// <returns>The builder.</returns>
    public static TBuilder RequireAiCredits<TBuilder>(this TBuilder builder, AiFeature feature, long? credits = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (feature.IsEmpty)
        {
            throw new ArgumentException("Name the AI feature the endpoint spends.", nameof(feature));
        }

        var metadata = new AiCreditsMetadata(feature, credits);
        builder.Add(endpoint =>
        {
            endpoint.Metadata.Add(metadata);

            // The refusals the guard may answer with, for OpenAPI documents and clients generated from them.
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status402PaymentRequired, typeof(ProblemDetails), s_problemContentTypes));
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(ProblemDetails), s_problemContentTypes));
        });
        return builder;
    }

    /// <summary>Turns the credit guard off for the endpoint (a group may require credits for all but a few).</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint convention builder.</param>
    /// <returns>The builder.</returns>
    public static TBuilder DisableCreditGuard<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(new DisableCreditGuardAttribute()));
        return builder;
    }
}
