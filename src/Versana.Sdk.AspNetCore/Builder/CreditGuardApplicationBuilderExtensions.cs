using Versana.Sdk.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the credit guard middleware to a pipeline.</summary>
public static class CreditGuardApplicationBuilderExtensions
{
    /// <summary>
    /// Charges every endpoint marked with <c>RequireAiCredits</c> or <see cref="RequiresAiCreditsAttribute"/> to the
    /// workspace pool. Place it after routing and authentication (the workspace may come from a claim), before
    /// the endpoints. Needs <c>services.AddVersana(...).AddCreditGuardMiddleware()</c>.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseCreditGuard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService(typeof(HttpWorkspaceResolver)) is null)
        {
            throw new InvalidOperationException(
                "UseCreditGuard() needs its services: call services.AddVersana(...).AddCreditGuardMiddleware() when configuring services.");
        }

        (app.ApplicationServices.GetService(typeof(CreditGuardStartupCheck)) as CreditGuardStartupCheck)?.MiddlewareAdded();
        return app.UseMiddleware<CreditGuardMiddleware>();
    }
}
