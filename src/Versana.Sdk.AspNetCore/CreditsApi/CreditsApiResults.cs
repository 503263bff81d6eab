using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Versana.Sdk.AspNetCore;

/// <summary>Replies of the credits API, written with the wire JSON options whatever the app's own are.</summary>
internal static class CreditsApiResults
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public static IResult Ok<T>(T value) => new WireJsonResult<T>(value, VersanaJson.ForWriting<T>(), StatusCodes.Status200OK, JsonContentType);

    public static IResult Created<T>(T value) => new WireJsonResult<T>(value, VersanaJson.ForWriting<T>(), StatusCodes.Status201Created, JsonContentType);

    public static IResult Problem(ProblemDetails problem)
        => new WireJsonResult<ProblemDetails>(problem, VersanaJson.Wire, problem.Status ?? StatusCodes.Status500InternalServerError, "application/problem+json");

    /// <summary>A refusal: 402 or 403 with <c>Retry-After</c>, and the denial and balance for clients to rebuild the ledger's answer.</summary>
    public static IResult Denied(CreditDenial denial, CreditBalance balance, TimeProvider timeProvider)
    {
        var problem = CreditProblems.FromDenial(denial);
        problem.Extensions["denial"] = denial;
        problem.Extensions["balance"] = balance;
        return new DeniedResult(Problem(problem), denial, timeProvider);
    }

    /// <summary>Reads a JSON body strictly (unknown members and wrong types are 400); a missing body is 400 too.</summary>
    public static async ValueTask<T> ReadBodyAsync<T>(HttpContext context)
        where T : class
    {
        var body = IsPlainJson(context.Request.ContentType) || RequireJson(context.Request.ContentType)
            ? await ReadUtf8BodyAsync<T>(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false)
            : await context.Request.ReadFromJsonAsync<T>(VersanaJson.StrictRequests, context.RequestAborted).ConfigureAwait(false);
        return body ?? throw new ApiProblemException(CreditProblems.Invalid("The body is empty (null)."));
    }

    // The two forms clients nearly always send are taken as they stand, without parsing the header.
    private static bool IsPlainJson(string? contentType)
        => string.Equals(contentType, "application/json", StringComparison.OrdinalIgnoreCase)
            || string.Equals(contentType, JsonContentType, StringComparison.OrdinalIgnoreCase);

    // Any other form is parsed once for both questions: is it JSON (else a 400), and is it UTF-8 (the answer)?
    // HasJsonContentType and the charset would parse it twice. ReadFromJsonAsync transcodes another charset.
    private static bool RequireJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ApiProblemException(CreditProblems.Invalid("Send a JSON body with 'Content-Type: application/json'."));
        }

        return !mediaType.Charset.HasValue || mediaType.Encoding?.CodePage == Encoding.UTF8.CodePage;
    }

    /// <summary>
    /// Reads the whole body (the endpoint's size limit bounds it: Kestrel throws a 413 past it), then parses it in
    /// one synchronous call. The bodies are a few dozen bytes: the streaming reader's state machine cost more
    /// than the parse itself. Parsing the whole span also refuses anything after the value, as the streaming
    /// reader does.
    /// </summary>
    private static async ValueTask<T?> ReadUtf8BodyAsync<T>(System.IO.Pipelines.PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!read.IsCompleted)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                continue;
            }

            try
            {
                var buffer = read.Buffer;
                return buffer.IsSingleSegment
                    ? JsonSerializer.Deserialize<T>(buffer.FirstSpan, VersanaJson.StrictRequests)
                    : JsonSerializer.Deserialize<T>(System.Buffers.BuffersExtensions.ToArray(buffer), VersanaJson.StrictRequests);
            }
            finally
            {
                reader.AdvanceTo(read.Buffer.End);
            }
        }
    }

    /// <summary>Reads an optional JSON body: none (no content) is the default value.</summary>
    public static async ValueTask<T?> ReadOptionalBodyAsync<T>(HttpContext context)
        where T : class
        => context.Request.ContentLength is 0 || (context.Request.ContentLength is null && !context.Request.HasJsonContentType())
            ? null
            : await ReadBodyAsync<T>(context).ConfigureAwait(false);

    public static string RequireIdempotencyKey(HttpContext context)
        => context.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } key
            ? key
            : throw new ApiProblemException(CreditProblems.Invalid("This call changes the ledger: send an 'Idempotency-Key' header (a new GUID per action, the same one on its retries)."));

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
