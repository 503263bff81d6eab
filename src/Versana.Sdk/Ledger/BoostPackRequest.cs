namespace Versana.Sdk;

/// <summary>
/// A request to buy a boost pack.
/// </summary>
/// <param name="Credits">The pack size, one of <see cref="CreditLedgerOptions.BoostPackSizes"/>.</param>
/// <param name="IdempotencyKey">A key unique to this purchase: a retried purchase adds credits once.</param>
public sealed record BoostPackRequest(long Credits, string IdempotencyKey);
