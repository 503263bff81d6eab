using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Charges endpoints that carry <see cref="IAiCreditsMetadata"/>: reserves before the endpoint runs, commits
/// when the response is a success, releases otherwise (error status, exception, aborted request).
/// </summary>
internal sealed class CreditGuardMiddleware
{
    private readonly RequestDelegate _next;
    private readonly CreditGuard _guard;
    private readonly HttpWorkspaceResolver _workspaces;
    private readonly TimeProvider _timeProvider;
    private readonly CreditGuardMiddlewareOptions _options;
    private readonly ILogger _logger;

    public CreditGuardMiddleware(
        RequestDelegate next,
        CreditGuard guard,
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

        // An outer guard (another middleware instance, a test harness) already pays for this feature.
        if (GuardScope.Find(workspaceId, feature) is { } outer)
        {
            context.Features.Set<ICreditGuardFeature>(new CreditGuardFeature(outer));
            await _next(context).ConfigureAwait(false);
            return;
        }

        // A request with a key may retry one already charged, which the ledger serves whatever the balance is now:
        // only a request without one can be refused from memory.
        var key = context.Request.Headers[_options.IdempotencyKeyHeader].ToString();
        if (key.Length == 0 && _guard.TryGetRememberedRefusal(workspaceId, feature, credits.Credits) is { } remembered)
        {
            await RejectAsync(context, remembered, _guard.LastKnownBalance(workspaceId)).ConfigureAwait(false);
            return;
        }

        CreditReservationResult reservation;
        try
        {
            reservation = await _guard.ReserveAsync(
                workspaceId,
                feature,
                new AiCallOptions { Credits = credits.Credits, IdempotencyKey = key.Length > 0 ? key : null, Ttl = _options.ReservationTtl },
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

        if (!reservation.IsGranted)
        {
            await RejectAsync(context, reservation.Denial, _guard.LastKnownBalance(workspaceId) ?? reservation.Balance).ConfigureAwait(false);
            return;
        }

        var guardContext = new CreditGuardContext(workspaceId, feature, reservation.Reservation);
        context.Features.Set<ICreditGuardFeature>(new CreditGuardFeature(guardContext));

        // The balance the ledger returned with this request's hold: its own credits already count as spent. Set
        // now, before the endpoint writes anything (an OnStarting callback cost every request a callback list and
        // a state machine); only an exception, after which an outer handler clears the response, re-adds it.
        var available = reservation.Balance.Available;
        SetBalanceHeader(context.Response, _options.BalanceHeader, available);

        if (reservation.Reservation.Status == ReservationStatus.Committed)
        {
            // A retry of a request that was already paid for: serve it, never charge it again.
            using (GuardScope.Enter(guardContext))
            {
                await _next(context).ConfigureAwait(false);
            }

            return;
        }

        try
        {
            using (GuardScope.Enter(guardContext))
            {
                await _next(context).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            var released = await _guard.ReleaseAsync(guardContext).ConfigureAwait(false);
            if (!context.Response.HasStarted)
            {
                // An outer handler (UseExceptionHandler) clears the response and writes its own: a callback
                // survives that, and gives the balance with these credits back.
                AddBalanceHeaderOnStarting(context, released?.Available ?? available);
            }

            throw;
        }

        // A streamed response ends here too, so it is charged once, when it is complete.
        if (context.RequestAborted.IsCancellationRequested || context.Response.StatusCode is < 200 or > 299)
        {
            var released = await _guard.ReleaseAsync(guardContext).ConfigureAwait(false);
            if (released is not null && !context.Response.HasStarted)
            {
                // Not sent yet (an error status without a body): the balance with these credits back.
                SetBalanceHeader(context.Response, _options.BalanceHeader, released.Available);
            }
        }
        else
        {
            await _guard.CommitAsync(guardContext).ConfigureAwait(false);
        }
    }

    private async Task RejectAsync(HttpContext context, CreditDenial denial, CreditBalance? balance)
    {
        var response = context.Response;
        response.StatusCode = CreditProblems.StatusOf(denial.Reason);
        CreditProblems.SetRetryAfter(response, denial, _timeProvider);
        if (balance is not null)
        {
            SetBalanceHeader(response, _options.BalanceHeader, balance.Available);
        }

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
