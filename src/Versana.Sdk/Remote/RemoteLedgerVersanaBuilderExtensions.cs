using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Versana.Sdk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Points the Versana SDK at a remote credits service.</summary>
public static class RemoteLedgerVersanaBuilderExtensions
{
    /// <summary>Uses the Versana credits service at <paramref name="baseAddress"/> as the ledger.</summary>
    /// <param name="builder">The Versana builder.</param>
    /// <param name="baseAddress">The service's address.</param>
    /// <param name="apiKey">The workspace API key.</param>
    /// <param name="configure">Further settings (fail-open, retries, timeouts), or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static VersanaBuilder UseRemoteLedger(this VersanaBuilder builder, Uri baseAddress, string apiKey, Action<RemoteLedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var services = builder.Services;
        services.AddOptions<RemoteLedgerOptions>()
            .Configure(o =>
            {
                o.BaseAddress = baseAddress;
                o.ApiKey = apiKey;
                configure?.Invoke(o);
            })
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero, "RemoteLedgerOptions.AttemptTimeout must be positive.")
            .Validate(o => o.RetryDelay >= TimeSpan.Zero, "RemoteLedgerOptions.RetryDelay cannot be negative.")
            .Validate(o => o.MaxRetries is >= 0 and <= 100, "RemoteLedgerOptions.MaxRetries must be 0 to 100.")
            .Validate(o => o.FailOpenAllowance is >= 0 and <= CreditLedgerOptions.MaxCredits, $"RemoteLedgerOptions.FailOpenAllowance must be 0 to {CreditLedgerOptions.MaxCreditsText}.")
            .Validate(o => o.BreakerFailureRatio is > 0 and <= 1, "RemoteLedgerOptions.BreakerFailureRatio must be above 0 and at most 1.")
            .ValidateOnStart();

        services.AddHttpClient(RemoteCreditLedger.HttpClientName, (sp, client) => client.BaseAddress = sp.GetRequiredService<IOptions<RemoteLedgerOptions>>().Value.BaseAddress)
            .AddResilienceHandler("versana-ledger", static (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<RemoteLedgerOptions>>().Value;

                // Retrying every method is safe here: each mutating call carries its idempotency key or reservation id.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && IsTransient(args.Outcome)),
                });
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = options.BreakerFailureRatio,
                    MinimumThroughput = 20,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = TimeSpan.FromSeconds(5),
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            });

        return builder.UseLedger(sp => new RemoteCreditLedger(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(RemoteCreditLedger.HttpClientName),
            sp.GetRequiredService<IOptions<RemoteLedgerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<RemoteCreditLedger>>()));
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome)
        => outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            || outcome.Result?.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;
}
