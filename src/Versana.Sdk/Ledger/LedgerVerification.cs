namespace Versana.Sdk;

/// <summary>
/// The result of rebuilding a workspace's balance from its audit entries and comparing it with the stored one.
/// </summary>
/// <param name="WorkspaceId">The workspace id.</param>
/// <param name="EntryCount">The entries replayed.</param>
/// <param name="Stored">The stored balance.</param>
/// <param name="Replayed">The balance rebuilt from the entries.</param>
/// <param name="Differences">What differs; empty when consistent.</param>
public sealed record LedgerVerification(
    string WorkspaceId,
    long EntryCount,
    CreditBalance Stored,
    CreditBalance Replayed,
    IReadOnlyList<string> Differences)
{
    /// <summary>Gets a value indicating whether the replayed state equals the stored state.</summary>
    public bool IsConsistent => Differences.Count == 0;
}
