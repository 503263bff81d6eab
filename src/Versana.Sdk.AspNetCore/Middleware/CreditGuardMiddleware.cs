using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Charges endpoints that carry <see cref="IAiCreditsMetadata"/>: holds the credits before the endpoint runs, commits
/// when the response is a success, releases when nothing was delivered (error status, exception or aborted request
/// before the response started).
/// </summary>
internal sealed class CreditGuardMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ICreditGuard _guard;
    private readonly HttpWorkspaceResolver _workspaces;
    private readonly TimeProvider _timeProvider;
    private readonly CreditGuardMiddlewareOptions _options;
    private readonly ILogger _logger;

    public CreditGuardMiddleware(
        RequestDelegate next,
        ICreditGuard guard,
        HttpWorkspaceResolver workspaces,
        TimeProvider timeProvider,
        IOptions<CreditGuardMiddlewareOptions> options,
        ILogger<CreditGuardMiddleware> logger)
    {
        _next = next;
        _guard = guard;
        _workspaces = workspaces;
        _timeProvider = timeProvider;
        _options = options.Value;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        // Unguarded endpoints pay nothing for the middleware: one metadata lookup, no allocation.
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<IAiCreditsMetadata>() is not { } credits || metadata.GetMetadata<IDisableCreditGuardMetadata>() is not null)
        {
            return _next(context);
        }

        return InvokeGuardedAsync(context, credits);
    }

    private async Task InvokeGuardedAsync(HttpContext context, IAiCreditsMetadata credits)
    {
        var feature = credits.Feature;
        if (_workspaces.Resolve(context) is not { } workspaceId)
        {
            MiddlewareLog.WorkspaceUnresolved(_logger, context.Request.Path);
            await CreditProblems.WriteAsync(context, new()
            {
                Type = CreditProblemTypes.WorkspaceUnresolved,
                Title = "No workspace to charge",
                Status = StatusCodes.Status403Forbidden,
                Detail = "The request names no workspace: configure CreditGuardMiddlewareOptions (route value, claim, header or ResolveWorkspace).",
            }).ConfigureAwait(false);
            return;
        }

        // A request with a key may retry one already charged, which the ledger serves whatever the balance is now.
        var key = CreditProblems.IdempotencyKeyOf(context.Request, _options.IdempotencyKeyHeader, out var keyProblem);
        if (keyProblem is not null)
        {
            await CreditProblems.WriteAsync(context, keyProblem).ConfigureAwait(false);
            return;
        }

        CreditHold hold;
        try
        {
            hold = await _guard.ReserveAsync(
                feature,
                new AiCallOptions { WorkspaceId = workspaceId, Credits = credits.Credits, IdempotencyKey = key, Ttl = _options.ReservationTtl },
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            await CreditProblems.WriteAsync(context, CreditProblems.Invalid(ex.Message)).ConfigureAwait(false);
            return;
        }
        catch (CreditLedgerException ex)
        {
            await CreditProblems.WriteAsync(context, CreditProblems.FromLedgerError(ex)).ConfigureAwait(false);
            return;
        }

        await using var disposeHold = hold.ConfigureAwait(false);
        if (!hold.IsGranted)
        {
            await RejectAsync(context, hold.Denial, hold.Balance).ConfigureAwait(false);
            return;
        }

        context.Features.Set<ICreditGuardFeature>(new CreditGuardFeature(hold.Context));

        // The balance with this request's hold counted as spent. Set now, before the endpoint writes anything; only
        // an exception, after which an outer handler clears the response, re-adds it.
        var available = hold.Balance?.Available;
        if (available is { } held)
        {
            SetBalanceHeader(context.Response, _options.BalanceHeader, held);
        }

        try
        {
            using (hold.Enter())
            {
                await _next(context).ConfigureAwait(false);
            }
        }
        catch (Exception) when (Delivered(context.Response))
        {
            // The streaming rule: a response that started with a success status delivered the AI's work.
            await hold.CommitAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception)
        {
            await hold.DisposeAsync().ConfigureAwait(false);
            if (!context.Response.HasStarted && (hold.Balance?.Available ?? available) is { } released)
            {
                // An outer handler (UseExceptionHandler) clears the response and writes its own: a callback
                // survives that, and gives the balance with these credits back.
                AddBalanceHeaderOnStarting(context, released);
            }

            throw;
        }

        // A response that never started, or that is not a success, delivered nothing: it costs nothing. A success
        // that started is charged, even when the client went away before its end.
        if (context.Response.StatusCode is < 200 or > 299 || (context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted))
        {
            await hold.DisposeAsync().ConfigureAwait(false);
            if (!context.Response.HasStarted && hold.Balance is { } released)
            {
                // Not sent yet (an error status without a body): the balance with these credits back.
                SetBalanceHeader(context.Response, _options.BalanceHeader, released.Available);
            }
        }
        else
        {
            await hold.CommitAsync().ConfigureAwait(false);
        }
    }

    private static bool Delivered(HttpResponse response) => response.HasStarted && response.StatusCode is >= 200 and <= 299;

    private async Task RejectAsync(HttpContext context, CreditDenial denial, CreditBalance? balance)
    {
        var response = context.Response;
        CreditProblems.StartRefusal(response, denial, balance, _options.BalanceHeader, _timeProvider);

        if (_options.OnRejected is { } onRejected)
        {
            await onRejected(new CreditGuardRejectedContext(context, denial, balance), context.RequestAborted).ConfigureAwait(false);
            if (response.HasStarted)
            {
                return;
            }
        }

        await CreditProblems.WriteAsync(context, CreditProblems.FromDenial(denial)).ConfigureAwait(false);
    }

    private void AddBalanceHeaderOnStarting(HttpContext context, long available)
    {
        context.Response.OnStarting(static state =>
        {
            var header = (BalanceHeader)state;
            SetBalanceHeader(header.Context.Response, header.Name, header.Available);
            return Task.CompletedTask;
        }, new BalanceHeader(context, _options.BalanceHeader, available));
    }

    private static void SetBalanceHeader(HttpResponse response, string name, long available)
        => response.Headers[name] = available.ToString(CultureInfo.InvariantCulture);

    private sealed record BalanceHeader(HttpContext Context, string Name, long Available);
}
