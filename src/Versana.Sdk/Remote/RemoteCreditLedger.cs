using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Versana.Sdk;

/// <summary>
/// <see cref="ICreditLedger"/> over the Versana credits HTTP API. Every mutating call carries its idempotency
/// key (or reservation id), so the HTTP pipeline may retry it safely; the service's problem details come back
/// as the same exceptions and denials the in-process ledger gives.
/// </summary>
public sealed partial class RemoteCreditLedger : ICreditLedger
{
    /// <summary>The name of the <see cref="HttpClient"/> the DI registration configures (retries, timeouts, breaker).</summary>
    public const string HttpClientName = "Versana.RemoteLedger";

    private readonly HttpClient _http;
    private readonly RemoteLedgerOptions _options;
    private readonly ILogger _logger;
    private readonly LocalAllowance? _allowance;

    /// <summary>Initializes a new instance of the <see cref="RemoteCreditLedger"/> class.</summary>
    /// <param name="http">The client, with the resilience pipeline (see <c>UseRemoteLedger</c>); its base address is set from the options when missing.</param>
    /// <param name="options">Where the service is and how to behave when it is unreachable.</param>
    /// <param name="timeProvider">The clock, for locally granted reservations.</param>
    /// <param name="logger">The logger.</param>
    public RemoteCreditLedger(HttpClient http, RemoteLedgerOptions options, TimeProvider? timeProvider = null, ILogger<RemoteCreditLedger>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BaseAddress is null || string.IsNullOrEmpty(options.ApiKey))
        {
            throw new ArgumentException("RemoteLedgerOptions needs the service's BaseAddress and an ApiKey.", nameof(options));
        }

        if (options.FailOpenAllowance is < 0 or > CreditLedgerOptions.MaxCredits)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FailOpenAllowance, $"RemoteLedgerOptions.FailOpenAllowance must be 0 to {CreditLedgerOptions.MaxCreditsText}.");
        }

        _http = http;
        _http.BaseAddress ??= options.BaseAddress;
        _options = options;
        _logger = logger ?? NullLogger<RemoteCreditLedger>.Instance;
        _allowance = options.WhenUnavailable == LedgerUnavailableBehavior.FailOpen
            ? new LocalAllowance(this, options.FailOpenAllowance, timeProvider ?? TimeProvider.System)
            : null;
    }

    /// <summary>Gets the credits committed locally while the service was unreachable and not yet charged to it.</summary>
    public long UnreconciledCredits => _allowance?.Unreconciled ?? 0;

    /// <inheritdoc/>
    public async ValueTask<CreditBalance> CreateWorkspaceAsync(WorkspaceSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var body = new CreateWorkspaceBody(settings.WorkspaceId, settings.Plan, settings.TimeZoneId, settings.AutomationEnabled, settings.Costs?.ToDictionary(c => c.Key.Name, c => c.Value));
        var created = await SendAsync<CreatedWorkspace>(HttpMethod.Post, "v1/workspaces", body, null, cancellationToken).ConfigureAwait(false);
        return created.Balance;
    }

    /// <inheritdoc/>
    public ValueTask<CreditBalance> UpdateSettingsAsync(string workspaceId, WorkspaceSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var body = new SettingsBody(update.AutomationEnabled, update.Costs?.ToDictionary(c => c.Key.Name, c => c.Value));
        return SendAsync<CreditBalance>(HttpMethod.Patch, Path(workspaceId, "settings"), body, null, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<PlanChangeResult> ChangePlanAsync(string workspaceId, string plan, CancellationToken cancellationToken = default)
        => SendAsync<PlanChangeResult>(HttpMethod.Put, Path(workspaceId, "plan"), new PlanBody(plan), null, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<CreditReservationResult> ReserveAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_allowance is null)
        {
            return await ReserveCoreAsync(workspaceId, request, cancellationToken).ConfigureAwait(false);
        }

        if (await _allowance.TryReserveKnownAsync(workspaceId, request, cancellationToken).ConfigureAwait(false) is { } known)
        {
            return known;
        }

        try
        {
            var result = await ReserveCoreAsync(workspaceId, request, cancellationToken).ConfigureAwait(false);
            _allowance.Learn(workspaceId, request, result);
            _allowance.ServiceIsBack();
            return result;
        }
        catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.LedgerUnavailable)
        {
            return await _allowance.ReserveAsync(workspaceId, request, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<CreditReservationResult> ReserveCoreAsync(string workspaceId, ReservationRequest request, CancellationToken cancellationToken)
    {
        var body = new ReserveBody(request.Feature, request.Credits, request.Ttl is { } ttl ? (int?)Math.Ceiling(ttl.TotalSeconds) : null, request.Actor);

        using var response = await SendRawAsync(HttpMethod.Post, Path(workspaceId, "reservations"), body, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.PaymentRequired or HttpStatusCode.Forbidden)
        {
            var problem = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
            if (problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("denial", out var denial) && problem.TryGetProperty("balance", out var balance))
            {
                return new CreditReservationResult
                {
                    Denial = denial.Deserialize<CreditDenial>(VersanaJson.Wire),
                    Balance = balance.Deserialize<CreditBalance>(VersanaJson.Wire)!,
                };
            }

            throw ToException(response.StatusCode, problem);
        }

        return await ReadAsync<CreditReservationResult>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<CommitResult> CommitAsync(string workspaceId, string reservationId, long? actualCredits = null, long? tokens = null, CancellationToken cancellationToken = default)
    {
        if (_allowance is not null && LocalAllowance.IsLocal(reservationId))
        {
            return _allowance.CommitAsync(workspaceId, reservationId, actualCredits, tokens, cancellationToken);
        }

        return SendAsync<CommitResult>(HttpMethod.Post, Path(workspaceId, $"reservations/{Uri.EscapeDataString(reservationId)}/commit"), new CommitBody(actualCredits, tokens), null, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<ReleaseResult> ReleaseAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default)
    {
        if (_allowance is not null && LocalAllowance.IsLocal(reservationId))
        {
            return _allowance.ReleaseAsync(workspaceId, reservationId, cancellationToken);
        }

        return SendAsync<ReleaseResult>(HttpMethod.Post, Path(workspaceId, $"reservations/{Uri.EscapeDataString(reservationId)}/release"), null, null, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<BoostPackPurchase> PurchaseBoostPackAsync(string workspaceId, BoostPackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<BoostPackPurchase>(HttpMethod.Post, Path(workspaceId, "boost-packs"), new BoostPackBody(request.Credits), request.IdempotencyKey, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<CreditBalance> GetBalanceAsync(string workspaceId, CancellationToken cancellationToken = default)
        => SendAsync<CreditBalance>(HttpMethod.Get, Path(workspaceId, "balance"), null, null, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<CreditReservation?> GetReservationAsync(string workspaceId, string reservationId, CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Get, Path(workspaceId, $"reservations/{Uri.EscapeDataString(reservationId)}"), null, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var problem = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
            if (problem.TryGetProperty("type", out var type) && type.GetString()?.EndsWith("#reservation-not-found", StringComparison.Ordinal) == true)
            {
                return null;
            }

            throw ToException(response.StatusCode, problem);
        }

        return await ReadAsync<CreditReservation>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<UsageReport> GetUsageAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
        => SendAsync<UsageReport>(
            HttpMethod.Get,
            Path(workspaceId, string.Create(CultureInfo.InvariantCulture, $"usage?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}")),
            null,
            null,
            cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string workspaceId, long afterSequence = 0, int limit = 100, CancellationToken cancellationToken = default)
        => await SendAsync<List<LedgerEntry>>(
            HttpMethod.Get,
            Path(workspaceId, string.Create(CultureInfo.InvariantCulture, $"entries?after={afterSequence}&limit={limit}")),
            null,
            null,
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public ValueTask<LedgerVerification> VerifyAsync(string workspaceId, CancellationToken cancellationToken = default)
        => SendAsync<LedgerVerification>(HttpMethod.Get, Path(workspaceId, "verification"), null, null, cancellationToken);

    private static string Path(string workspaceId, string rest)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        return $"v1/workspaces/{Uri.EscapeDataString(workspaceId)}/{rest}";
    }

    private async ValueTask<T> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, idempotencyKey, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: VersanaJson.Wire);
        }

        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            RemoteLedgerLog.Unreachable(_logger, ex, method.Method, path);
            throw new CreditLedgerException(CreditLedgerError.LedgerUnavailable, $"The Versana credits service at {_http.BaseAddress} could not be reached: {ex.Message}", ex);
        }
    }

    private static async ValueTask<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<T>(VersanaJson.Wire, cancellationToken).ConfigureAwait(false))!;
        }

        throw ToException(response.StatusCode, await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false));
    }

    private static async ValueTask<JsonElement> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static Exception ToException(HttpStatusCode status, JsonElement problem)
    {
        var detail = Text(problem, "detail") ?? Text(problem, "title") ?? $"The credits service answered {(int)status}.";
        if (Text(problem, "error") is { } error && Enum.TryParse<CreditLedgerError>(error, out var ledgerError))
        {
            return new CreditLedgerException(ledgerError, detail);
        }

        var parameter = Text(problem, "parameter");
        return status switch
        {
            HttpStatusCode.BadRequest when Text(problem, "type")?.EndsWith("#out-of-range", StringComparison.Ordinal) == true
                => new ArgumentOutOfRangeException(parameter, detail),
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge => new ArgumentException(detail, parameter),
            HttpStatusCode.Unauthorized => new UnauthorizedAccessException($"The credits service refused the API key: {detail}"),
            HttpStatusCode.Forbidden => new UnauthorizedAccessException($"The API key may not do this: {detail}"),
            HttpStatusCode.NotFound => new CreditLedgerException(CreditLedgerError.WorkspaceNotFound, detail),
            HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError
                => new CreditLedgerException(CreditLedgerError.LedgerUnavailable, $"The credits service is unavailable ({(int)status}): {detail}"),
            _ => new InvalidOperationException($"The credits service answered {(int)status}: {detail}"),
        };
    }

    private static string? Text(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
