using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// The credits API's rate limit: a token bucket per caller (the key's name once authenticated, else the
/// client's address), refused as a 429 problem with <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// A policy type rather than a lambda given to <c>AddPolicy</c>: its partition factory is made once, not a
/// closure and a delegate on every request, and its <see cref="OnRejected"/> answers only this policy's
/// refusals, where the options' global <c>OnRejected</c> belongs to the app.
/// </remarks>
internal sealed class CreditsApiRateLimiterPolicy : IRateLimiterPolicy<string>
{
    private readonly Func<string, RateLimiter> _newLimiter;

    public CreditsApiRateLimiterPolicy(IOptions<CreditsApiOptions> options)
    {
        var api = options.Value;
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = api.BurstPermits,
            TokensPerPeriod = api.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,

            // As RateLimitPartition.GetTokenBucketLimiter does: the partitioned limiter replenishes every
            // caller's bucket from one timer, instead of a timer a caller.
            AutoReplenishment = false,
        };
        _newLimiter = _ => new TokenBucketRateLimiter(bucket);
    }

    /// <inheritdoc/>
    public Func<OnRejectedContext, CancellationToken, ValueTask> OnRejected { get; } = static (rejected, _) =>
    {
        var response = rejected.HttpContext.Response;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return new ValueTask(CreditsApiResults.Problem(new ProblemDetails
        {
            Type = CreditProblemTypes.TooManyRequests,
            Title = "Too many requests",
            Status = StatusCodes.Status429TooManyRequests,
            Detail = "Slow down: this caller is over the credits API's rate limit.",
        }).ExecuteAsync(rejected.HttpContext));
    };

    /// <inheritdoc/>
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        => new(httpContext.User.Identity?.Name ?? httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", _newLimiter);
}
