using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Versana.Sdk.AspNetCore;

/// <summary>Healthy when the ledger answers a read: a probe for a workspace that does not exist must come back "not found".</summary>
internal sealed class LedgerHealthCheck(ICreditLedger ledger) : IHealthCheck
{
    private const string Probe = "versana-health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await ledger.GetBalanceAsync(Probe, cancellationToken);
            return HealthCheckResult.Healthy("The ledger answers.");
        }
        catch (CreditLedgerException ex) when (ex.Error == CreditLedgerError.WorkspaceNotFound)
        {
            return HealthCheckResult.Healthy("The ledger answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The ledger does not answer.", ex);
        }
    }
}
