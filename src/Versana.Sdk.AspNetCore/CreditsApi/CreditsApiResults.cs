using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Versana.Sdk.AspNetCore;

/// <summary>Replies of the credits API, written with the wire JSON options whatever the app's own are.</summary>
internal static class CreditsApiResults
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public static IResult Ok<T>(T value) => TypedResults.Json(value, VersanaJson.Wire, JsonContentType, StatusCodes.Status200OK);

    public static IResult Created<T>(T value) => TypedResults.Json(value, VersanaJson.Wire, JsonContentType, StatusCodes.Status201Created);

    public static IResult Problem(ProblemDetails problem)
        => TypedResults.Json(problem, VersanaJson.Wire, "application/problem+json", problem.Status ?? StatusCodes.Status500InternalServerError);

    /// <summary>A refusal: 402 or 403 with <c>Retry-After</c>, and the denial and balance for clients to rebuild the ledger's answer.</summary>
    public static IResult Denied(CreditDenial denial, CreditBalance balance, TimeProvider timeProvider)
    {
        var problem = CreditProblems.FromDenial(denial);
        problem.Extensions["denial"] = denial;
        problem.Extensions["balance"] = balance;
        return new DeniedResult(Problem(problem), denial, timeProvider);
    }

    /// <summary>
    /// Reads a JSON body strictly (unknown or repeated members and wrong types are 400); a missing body, a body
    /// that is not JSON and a charset that cannot be read are 400 too.
    /// </summary>
    public static async ValueTask<T> ReadBodyAsync<T>(HttpContext context)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new ApiProblemException(CreditProblems.Invalid("Send a JSON body with 'Content-Type: application/json'."));
        }

        T? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync<T>(VersanaJson.StrictRequests, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // ReadFromJsonAsync's answer to a charset it has no encoding for.
            throw new ApiProblemException(CreditProblems.Invalid("The body's charset cannot be read: send it as UTF-8 ('Content-Type: application/json; charset=utf-8')."));
        }

        return body ?? throw new ApiProblemException(CreditProblems.Invalid("The body is empty (null)."));
    }

    /// <summary>Reads an optional JSON body: none (no content) is the default value.</summary>
    public static async ValueTask<T?> ReadOptionalBodyAsync<T>(HttpContext context)
        where T : class
        => context.Request.ContentLength is 0 || (context.Request.ContentLength is null && !context.Request.HasJsonContentType())
            ? null
            : await ReadBodyAsync<T>(context).ConfigureAwait(false);

    public static string RequireIdempotencyKey(HttpContext context)
    {
        var key = CreditProblems.IdempotencyKeyOf(context.Request, CreditProblems.IdempotencyKeyHeader, out var problem);
        return problem is not null ? throw new ApiProblemException(problem)
            : key ?? throw new ApiProblemException(CreditProblems.Invalid("This call changes the ledger: send an 'Idempotency-Key' header (a new GUID per action, the same one on its retries)."));
    }

    public static DateOnly ParseDate(HttpContext context, string name, DateOnly fallback)
    {
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new ApiProblemException(CreditProblems.Invalid($"'{name}' must be a date as yyyy-MM-dd."));
    }

    public static long ParseLong(HttpContext context, string name, long fallback, long min, long max)
    {
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ApiProblemException(CreditProblems.Invalid($"'{name}' must be a whole number from {min} to {max}."));
    }

    private sealed class DeniedResult(IResult inner, CreditDenial denial, TimeProvider timeProvider) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            CreditProblems.SetRetryAfter(httpContext.Response, denial, timeProvider);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
