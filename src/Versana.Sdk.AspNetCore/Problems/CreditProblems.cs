using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Versana.Sdk.AspNetCore;

/// <summary>Turns ledger refusals and errors into problem details with stable types, and writes them.</summary>
internal static class CreditProblems
{
    public static int StatusOf(CreditDenialReason reason) => reason == CreditDenialReason.AutomationNotActivated
        ? StatusCodes.Status403Forbidden
        : StatusCodes.Status402PaymentRequired;

    public static ProblemDetails FromDenial(CreditDenial denial)
    {
        var (type, title) = denial.Reason switch
        {
            CreditDenialReason.PlanExcludesAi => (CreditProblemTypes.PlanExcludesAi, "The plan has no AI credits"),
            CreditDenialReason.AutomationNotActivated => (CreditProblemTypes.AutomationNotActivated, "Automated responses are not activated"),
            _ => (CreditProblemTypes.CreditsExhausted, "AI is paused: the credit pool is used up"),
        };

        var problem = new ProblemDetails { Type = type, Title = title, Status = StatusOf(denial.Reason), Detail = denial.Message };
        problem.Extensions["reason"] = denial.Reason.ToString();
        problem.Extensions["feature"] = denial.Feature.Name;
        problem.Extensions["requested"] = denial.Requested;
        problem.Extensions["available"] = denial.Available;
        if (denial.ResumesAt is { } resumesAt)
        {
            problem.Extensions["resumesAt"] = resumesAt;
        }

        if (denial.BoostPackSizes.Count > 0)
        {
            problem.Extensions["boostPackSizes"] = denial.BoostPackSizes;
        }

        return problem;
    }

    public static ProblemDetails FromLedgerError(CreditLedgerException exception)
    {
        var (status, type, title) = exception.Error switch
        {
            CreditLedgerError.WorkspaceNotFound => (StatusCodes.Status404NotFound, CreditProblemTypes.WorkspaceNotFound, "Workspace not found"),
            CreditLedgerError.WorkspaceAlreadyExists => (StatusCodes.Status409Conflict, CreditProblemTypes.WorkspaceExists, "The workspace already exists"),
            CreditLedgerError.ReservationNotFound => (StatusCodes.Status404NotFound, CreditProblemTypes.ReservationNotFound, "Reservation not found"),
            CreditLedgerError.ReservationExpired or CreditLedgerError.ReservationAlreadyCompleted
                => (StatusCodes.Status409Conflict, CreditProblemTypes.ReservationConflict, "The reservation cannot take this change"),
            CreditLedgerError.IdempotencyKeyReused => (StatusCodes.Status409Conflict, CreditProblemTypes.IdempotencyKeyReused, "Idempotency key reused for a different request"),
            CreditLedgerError.PlanExcludesAi => (StatusCodes.Status402PaymentRequired, CreditProblemTypes.PlanExcludesAi, "The plan has no AI credits"),
            CreditLedgerError.LedgerUnavailable => (StatusCodes.Status503ServiceUnavailable, CreditProblemTypes.LedgerUnavailable, "The credit ledger is unavailable"),
            _ => (StatusCodes.Status409Conflict, CreditProblemTypes.InvalidRequest, "The request conflicts with the ledger's state"),
        };

        var problem = new ProblemDetails { Type = type, Title = title, Status = status, Detail = exception.Message };
        problem.Extensions["error"] = exception.Error.ToString();
        return problem;
    }

    public static ProblemDetails Invalid(string detail) => new()
    {
        Type = CreditProblemTypes.InvalidRequest,
        Title = "Invalid request",
        Status = StatusCodes.Status400BadRequest,
        Detail = detail,
    };

    /// <summary>A refused argument, its name kept so a client can throw the same exception the ledger threw.</summary>
    public static ProblemDetails Invalid(ArgumentException exception)
    {
        var detail = exception.Message;
        if (exception.ParamName is { } name && detail.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal) is var at and >= 0)
        {
            // The exception appends the parameter (and an out-of-range value) to its message; the member says it.
            detail = detail[..at];
        }

        var problem = Invalid(detail);
        if (exception is ArgumentOutOfRangeException)
        {
            problem.Type = CreditProblemTypes.OutOfRange;
            problem.Title = "Value out of range";
        }

        if (exception.ParamName is not null)
        {
            problem.Extensions["parameter"] = exception.ParamName;
        }

        return problem;
    }

    /// <summary>The default header of a request's idempotency key.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Reads the request's idempotency key (<see langword="null"/> when it has none). A request that sends the header
    /// more than once gets <paramref name="problem"/> instead: joined, its keys would name one new action.
    /// </summary>
    public static string? IdempotencyKeyOf(HttpRequest request, string header, out ProblemDetails? problem)
    {
        var values = request.Headers[header];
        problem = values.Count > 1
            ? Invalid($"Send one '{header}' header; this request has {values.Count}.")
            : null;
        return values.Count == 1 && values[0] is { Length: > 0 } key ? key : null;
    }

    /// <summary>Sets a refusal's status, <c>Retry-After</c> and the balance header (when the balance is known), before its body.</summary>
    public static void StartRefusal(HttpResponse response, CreditDenial denial, CreditBalance? balance, string balanceHeader, TimeProvider timeProvider)
    {
        response.StatusCode = StatusOf(denial.Reason);
        SetRetryAfter(response, denial, timeProvider);
        if (balance is not null)
        {
            response.Headers[balanceHeader] = balance.Available.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Sets <c>Retry-After</c> (whole seconds, rounded up) when the refusal ends by itself.</summary>
    public static void SetRetryAfter(HttpResponse response, CreditDenial denial, TimeProvider timeProvider)
    {
        if (denial.ResumesAt is { } resumesAt)
        {
            var seconds = Math.Max(0, (long)Math.Ceiling((resumesAt - timeProvider.GetUtcNow()).TotalSeconds));
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Writes the problem through the app's <see cref="IProblemDetailsService"/> when it has one, as JSON otherwise.</summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
        => TypedResults.Problem(problem).ExecuteAsync(context);
}
