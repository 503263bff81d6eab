using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Answers an <see cref="AiPausedException"/> that reaches <c>UseExceptionHandler()</c> (a guarded client or chat
/// pipeline called from any endpoint, controller or minimal API) with the refusal the middleware gives: 402 or 403,
/// the problem type, <c>Retry-After</c> and the balance header.
/// </summary>
internal sealed class AiPausedExceptionHandler(TimeProvider timeProvider, IOptions<CreditGuardMiddlewareOptions> middleware) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Find(exception) is not { Denial: { } denial } paused || httpContext.Response.HasStarted)
        {
            return false;
        }

        // The middleware's balance header: its default name when the app does not register the middleware.
        CreditProblems.StartRefusal(httpContext.Response, denial, paused.Balance, middleware.Value.BalanceHeader, timeProvider);
        await CreditProblems.WriteAsync(httpContext, CreditProblems.FromDenial(denial)).ConfigureAwait(false);
        return true;
    }

    private static AiPausedException? Find(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is AiPausedException paused)
            {
                return paused;
            }
        }

        return null;
    }
}
