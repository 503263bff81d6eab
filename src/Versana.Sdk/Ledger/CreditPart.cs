namespace Versana.Sdk;

/// <summary>
/// The share of a reservation or charge taken from one bucket.
/// </summary>
/// <param name="Bucket">The bucket: <see cref="MonthlyBucket"/> or a boost pack id.</param>
/// <param name="Credits">The credits taken from it.</param>
public readonly record struct CreditPart(string Bucket, long Credits)
{
    /// <summary>The name of the monthly allocation bucket.</summary>
    public const string MonthlyBucket = "monthly";
}
