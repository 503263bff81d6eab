namespace Versana.Sdk;

/// <summary>
/// Options of the Versana SDK: the default workspace, the balance cache, and the ledger's rules.
/// </summary>
public sealed class VersanaOptions
{
    /// <summary>Gets or sets the workspace charged when neither the call nor an <see cref="IWorkspaceAccessor"/> names one.</summary>
    public string? WorkspaceId { get; set; }

    /// <summary>Gets or sets how old a cached balance may be when <see cref="ICreditGuard.GetBalanceAsync"/> serves it. Default: 5 seconds.</summary>
    public TimeSpan BalanceCacheAge { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets the longest a refusal is remembered, so a paused fleet fails fast without a ledger round trip.
    /// A refusal is forgotten sooner at its <see cref="CreditDenial.ResumesAt"/> or when a boost pack is bought
    /// through this process. Default: 30 seconds; <see cref="TimeSpan.Zero"/> turns the memo off.
    /// </summary>
    public TimeSpan PauseMemoMaxAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the options of an in-process ledger (plans, costs, boost packs, TTLs).</summary>
    public CreditLedgerOptions Ledger { get; } = new();

    /// <summary>Checks the options and returns the problems found; an empty list means valid.</summary>
    /// <returns>One message per problem, naming the setting and what is allowed.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Ledger.Validate());
        if (WorkspaceId is not null)
        {
            try
            {
                CreditLedger.ValidateWorkspaceId(WorkspaceId);
            }
            catch (ArgumentException)
            {
                errors.Add($"VersanaOptions.WorkspaceId '{WorkspaceId}' is not a workspace id: use 1 to 64 letters, digits, '-', '_' or '.'.");
            }
        }

        if (BalanceCacheAge < TimeSpan.Zero)
        {
            errors.Add("VersanaOptions.BalanceCacheAge cannot be negative; use TimeSpan.Zero to always read the ledger.");
        }

        if (PauseMemoMaxAge < TimeSpan.Zero)
        {
            errors.Add("VersanaOptions.PauseMemoMaxAge cannot be negative; use TimeSpan.Zero to turn the memo off.");
        }

        return errors;
    }
}
