using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore;

/// <summary>The handlers of the credits API: thin translations between HTTP and <see cref="ICreditLedger"/>.</summary>
internal static class CreditsApiHandlers
{
    public static async Task<IResult> BalanceAsync(string workspaceId, ICreditLedger ledger, CancellationToken ct)
        => CreditsApiResults.Ok(await ledger.GetBalanceAsync(workspaceId, ct));

    public static async Task<IResult> ReserveAsync(string workspaceId, HttpContext context, ICreditLedger ledger, TimeProvider clock)
    {
        var key = CreditsApiResults.RequireIdempotencyKey(context);
        var body = await CreditsApiResults.ReadBodyAsync<ReserveBody>(context);
        if (body.TtlSeconds is <= 0)
        {
            throw new ApiProblemException(CreditProblems.Invalid("'ttlSeconds' must be positive."));
        }

        var request = new ReservationRequest(body.Feature, key)
        {
            Credits = body.Credits,
            Actor = body.Actor,
            Ttl = body.TtlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
        var result = await ledger.ReserveAsync(workspaceId, request, context.RequestAborted);
        return result.IsGranted
            ? CreditsApiResults.Created(result)
            : CreditsApiResults.Denied(result.Denial, result.Balance, clock);
    }

    public static async Task<IResult> CommitAsync(string workspaceId, string reservationId, HttpContext context, ICreditLedger ledger)
    {
        var body = await CreditsApiResults.ReadOptionalBodyAsync<CommitBody>(context);
        return CreditsApiResults.Ok(await ledger.CommitAsync(workspaceId, reservationId, body?.ActualCredits, body?.Tokens, context.RequestAborted));
    }

    public static async Task<IResult> ReleaseAsync(string workspaceId, string reservationId, ICreditLedger ledger, CancellationToken ct)
        => CreditsApiResults.Ok(await ledger.ReleaseAsync(workspaceId, reservationId, ct));

    public static async Task<IResult> GetReservationAsync(string workspaceId, string reservationId, ICreditLedger ledger, CancellationToken ct)
        => await ledger.GetReservationAsync(workspaceId, reservationId, ct) is { } reservation
            ? CreditsApiResults.Ok(reservation)
            : CreditsApiResults.Problem(new() { Type = CreditProblemTypes.ReservationNotFound, Title = "Reservation not found", Status = StatusCodes.Status404NotFound });

    public static async Task<IResult> BuyBoostPackAsync(string workspaceId, HttpContext context, ICreditLedger ledger)
    {
        var key = CreditsApiResults.RequireIdempotencyKey(context);
        var body = await CreditsApiResults.ReadBodyAsync<BoostPackBody>(context);
        return CreditsApiResults.Created(await ledger.PurchaseBoostPackAsync(workspaceId, new BoostPackRequest(body.Credits, key), context.RequestAborted));
    }

    public static async Task<IResult> UsageAsync(string workspaceId, HttpContext context, ICreditLedger ledger)
    {
        var balance = await ledger.GetBalanceAsync(workspaceId, context.RequestAborted);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(balance.TimeZoneId);
        var periodStart = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(balance.PeriodStart, zone).DateTime);
        var from = CreditsApiResults.ParseDate(context, "from", periodStart);
        var to = CreditsApiResults.ParseDate(context, "to", DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(balance.AsOf, zone).DateTime));
        return CreditsApiResults.Ok(await ledger.GetUsageAsync(workspaceId, from, to, context.RequestAborted));
    }

    public static async Task<IResult> UpdateSettingsAsync(string workspaceId, HttpContext context, ICreditLedger ledger)
    {
        var body = await CreditsApiResults.ReadBodyAsync<SettingsBody>(context);
        var update = new WorkspaceSettingsUpdate
        {
            AutomationEnabled = body.AutomationEnabled,
            Costs = body.Costs?.ToDictionary(c => new AiFeature(c.Key), c => c.Value),
        };
        return CreditsApiResults.Ok(await ledger.UpdateSettingsAsync(workspaceId, update, context.RequestAborted));
    }

    public static async Task<IResult> ChangePlanAsync(string workspaceId, HttpContext context, ICreditLedger ledger)
    {
        var body = await CreditsApiResults.ReadBodyAsync<PlanBody>(context);
        return CreditsApiResults.Ok(await ledger.ChangePlanAsync(workspaceId, body.Plan, context.RequestAborted));
    }

    public static async Task<IResult> EntriesAsync(string workspaceId, HttpContext context, ICreditLedger ledger)
    {
        var after = CreditsApiResults.ParseLong(context, "after", 0, 0, long.MaxValue);
        var limit = (int)CreditsApiResults.ParseLong(context, "limit", 100, 1, 1_000);
        return CreditsApiResults.Ok(await ledger.GetEntriesAsync(workspaceId, after, limit, context.RequestAborted));
    }

    public static async Task<IResult> VerifyAsync(string workspaceId, ICreditLedger ledger, CancellationToken ct)
        => CreditsApiResults.Ok(await ledger.VerifyAsync(workspaceId, ct));

    public static async Task<IResult> CreateWorkspaceAsync(HttpContext context, ICreditLedger ledger, IApiKeyStore keys)
    {
        var body = await CreditsApiResults.ReadBodyAsync<CreateWorkspaceBody>(context);
        var balance = await ledger.CreateWorkspaceAsync(
            new WorkspaceSettings(body.WorkspaceId, body.Plan)
            {
                TimeZoneId = body.TimeZoneId,
                AutomationEnabled = body.AutomationEnabled,
                Costs = body.Costs?.ToDictionary(c => new AiFeature(c.Key), c => c.Value),
            },
            context.RequestAborted);
        var (key, stored) = ApiKeys.Create(body.WorkspaceId);
        await keys.AddAsync(stored, context.RequestAborted);
        return CreditsApiResults.Created(new CreatedWorkspace(balance, key));
    }

    public static async Task<IResult> IssueKeyAsync(string workspaceId, HttpContext context, ICreditLedger ledger, IApiKeyStore keys)
    {
        _ = await ledger.GetBalanceAsync(workspaceId, context.RequestAborted); // 404 for a workspace that does not exist
        var (key, stored) = ApiKeys.Create(workspaceId);
        await keys.AddAsync(stored, context.RequestAborted);
        return CreditsApiResults.Created(new IssuedApiKey(workspaceId, key));
    }
}
