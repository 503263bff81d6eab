namespace Versana.Sdk;

/// <summary>
/// A refused AI action. Nothing was charged or held.
/// </summary>
/// <param name="Reason">Why the action was refused.</param>
/// <param name="Message">A sentence for the user that says what to do.</param>
public sealed record CreditDenial(CreditDenialReason Reason, string Message)
{
    /// <summary>Gets the feature that was refused.</summary>
    public AiFeature Feature { get; init; }

    /// <summary>Gets the credits the action needed.</summary>
    public long Requested { get; init; }

    /// <summary>Gets the credits that were available.</summary>
    public long Available { get; init; }

    /// <summary>Gets when the refusal ends by itself (the next refresh), or <see langword="null"/> when it does not.</summary>
    public DateTimeOffset? ResumesAt { get; init; }

    /// <summary>Gets the boost pack sizes on offer, in credits, when a purchase would lift the refusal.</summary>
    public IReadOnlyList<long> BoostPackSizes { get; init; } = [];
}
