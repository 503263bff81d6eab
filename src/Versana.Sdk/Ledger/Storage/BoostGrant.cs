namespace Versana.Sdk.Ledger.Storage;

/// <summary>A bought boost pack; mutated only by <see cref="WorkspaceAccount.Apply(in LedgerEntryValue)"/>.</summary>
internal sealed class BoostGrant
{
    public required string Id { get; init; }

    public required string IdempotencyKey { get; init; }

    public required long Credits { get; init; }

    /// <summary>Gets or sets the credits not yet charged, held ones included.</summary>
    public long Remaining { get; set; }

    public long Held { get; set; }

    public required DateTimeOffset PurchasedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public bool Expired { get; set; }

    public long Free => Expired ? 0 : Remaining - Held;
}
