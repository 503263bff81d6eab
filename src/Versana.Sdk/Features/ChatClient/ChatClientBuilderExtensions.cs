using Microsoft.Extensions.DependencyInjection;
using Versana.Sdk;

namespace Microsoft.Extensions.AI;

/// <summary>
/// Adds the credit guard to an <see cref="IChatClient"/> pipeline.
/// </summary>
public static class VersanaChatClientBuilderExtensions
{
    /// <summary>Pays for every call of the pipeline with workspace credits, as <paramref name="feature"/>.</summary>
    /// <param name="builder">The chat client builder.</param>
    /// <param name="feature">The AI feature the calls are charged as.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseCreditGuard(this ChatClientBuilder builder, AiFeature feature)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (feature.IsEmpty)
        {
            throw new ArgumentException("Name the AI feature the chat calls are charged as.", nameof(feature));
        }

        return builder.Use((inner, services) => new CreditGuardChatClient(inner, services.GetRequiredService<ICreditGuard>(), feature));
    }
}
