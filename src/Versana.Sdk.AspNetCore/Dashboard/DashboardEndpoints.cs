using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

/// <summary>The dashboard's page, assets and JSON endpoints.</summary>
internal static class DashboardEndpoints
{
    private static readonly Assembly s_assembly = typeof(DashboardEndpoints).Assembly;

    public static IResult Asset(string name, string contentType)
    {
        var stream = s_assembly.GetManifestResourceStream("Versana.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard asset '{name}' is missing from the assembly.");
        return TypedResults.Stream(stream, contentType);
    }

    public static async Task<IResult> PageAsync(HttpContext context, VersanaDashboardOptions options)
    {
        using var stream = s_assembly.GetManifestResourceStream("Versana.Dashboard.index.html")!;
        using var reader = new StreamReader(stream);
        var html = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var workspace = context.Request.Query["workspace"].ToString() is { Length: > 0 } requested
            ? requested
            : context.RequestServices.GetRequiredService<IOptions<VersanaOptions>>().Value.WorkspaceId ?? "";
        html = html.Replace("{{title}}", WebUtility.HtmlEncode(options.Title), StringComparison.Ordinal)
            .Replace("{{workspace}}", WebUtility.HtmlEncode(workspace), StringComparison.Ordinal);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    public static async Task<Results<Ok<DashboardSummary>, ProblemHttpResult>> SummaryAsync(
        string workspaceId, HttpContext context, ICreditLedger ledger, TimeProvider timeProvider, IOptions<VersanaOptions> versana, VersanaDashboardOptions options)
    {
        if (options.CanViewWorkspace?.Invoke(context, workspaceId) == false)
        {
            return NotFound(workspaceId);
        }

        try
        {
            var balance = await ledger.GetBalanceAsync(workspaceId, context.RequestAborted).ConfigureAwait(false);
            var zone = TimeZoneInfo.FindSystemTimeZoneById(balance.TimeZoneId);
            var today = LocalDay(timeProvider.GetUtcNow(), zone);
            var from = LocalDay(balance.PeriodStart, zone);
            var lastDay = LocalDay(balance.PeriodEnd, zone).AddDays(-1);
            var usage = await ledger.GetUsageAsync(workspaceId, from, today, context.RequestAborted).ConfigureAwait(false);
            var ledgerOptions = versana.Value.Ledger;
            var thresholds = ledgerOptions.ThresholdPercents.Distinct().Order()
                .Select(p => new ThresholdState(p, balance.Allocation > 0 && balance.Used * 100 >= p * balance.Allocation))
                .ToArray();
            return TypedResults.Ok(new DashboardSummary(
                balance, today, usage, thresholds, UsageForecast.Compute(balance.Available, usage, today, lastDay), [.. ledgerOptions.BoostPackSizes]));
        }
        catch (CreditLedgerException ex)
        {
            return TypedResults.Problem(CreditProblems.FromLedgerError(ex));
        }
    }

    public static async Task<Results<Ok<BoostPackPurchase>, ProblemHttpResult>> BuyBoostPackAsync(
        string workspaceId, BoostPackBody? body, HttpContext context, ICreditLedger ledger, VersanaDashboardOptions options)
    {
        if (options.CanViewWorkspace?.Invoke(context, workspaceId) == false)
        {
            return NotFound(workspaceId);
        }

        var key = CreditProblems.IdempotencyKeyOf(context.Request, CreditProblems.IdempotencyKeyHeader, out var keyProblem);
        if (keyProblem is not null)
        {
            return TypedResults.Problem(keyProblem);
        }

        if (body is null || key is null)
        {
            return TypedResults.Problem(CreditProblems.Invalid("Send {\"credits\": n} with an Idempotency-Key header."));
        }

        try
        {
            // The ledger (behind the SDK's cache) forgets remembered refusals on purchase: AI resumes at once.
            return TypedResults.Ok(await ledger.PurchaseBoostPackAsync(workspaceId, new BoostPackRequest(body.Credits, key), context.RequestAborted).ConfigureAwait(false));
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Problem(CreditProblems.Invalid(ex.Message));
        }
        catch (CreditLedgerException ex)
        {
            return TypedResults.Problem(CreditProblems.FromLedgerError(ex));
        }
    }

    private static DateOnly LocalDay(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    private static ProblemHttpResult NotFound(string workspaceId) => TypedResults.Problem(new()
    {
        Type = CreditProblemTypes.WorkspaceNotFound,
        Title = "Workspace not found",
        Status = StatusCodes.Status404NotFound,
        Detail = $"No workspace '{workspaceId}' here.",
    });
}
