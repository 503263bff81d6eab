namespace Versana.Sdk;

/// <summary>
/// A request to hold credits for an AI action before it runs.
/// </summary>
/// <param name="Feature">The AI feature about to run.</param>
/// <param name="IdempotencyKey">
/// A key unique to this action within the workspace (1 to 128 printable ASCII characters). A retry with the
/// same key returns the first reservation instead of holding credits twice.
/// </param>
public sealed record ReservationRequest(AiFeature Feature, string IdempotencyKey)
{
    /// <summary>Gets the credits to hold; <see langword="null"/> (the default) holds the feature's configured cost.</summary>
    public long? Credits { get; init; }

    /// <summary>Gets how long to hold the credits before the ledger releases them; <see langword="null"/> uses <see cref="CreditLedgerOptions.ReservationTtl"/>.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Gets who acts (an agent id, "automation"), for reporting only: credits always belong to the workspace.</summary>
    public string? Actor { get; init; }
}
