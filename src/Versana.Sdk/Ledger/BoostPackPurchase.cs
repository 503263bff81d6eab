namespace Versana.Sdk;

/// <summary>
/// A bought boost pack. Its credits are spent after the monthly allocation and survive the monthly refresh.
/// </summary>
/// <param name="BoostId">The pack id.</param>
/// <param name="Credits">The credits the pack added.</param>
/// <param name="PurchasedAt">When it was bought.</param>
/// <param name="ExpiresAt">When its unused credits lapse, or <see langword="null"/> if never.</param>
/// <param name="Balance">The balance right after the purchase.</param>
public sealed record BoostPackPurchase(string BoostId, long Credits, DateTimeOffset PurchasedAt, DateTimeOffset? ExpiresAt, CreditBalance Balance);
