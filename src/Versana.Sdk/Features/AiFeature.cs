using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Versana.Sdk;

/// <summary>
/// Identifies an AI feature whose use is paid for with workspace credits.
/// </summary>
/// <remarks>
/// The four built-in features come from the VersanaCX product; custom features can be created
/// with <see cref="AiFeature(string)"/> and priced through <see cref="CreditLedgerOptions.Costs"/>.
/// Names compare case-insensitively.
/// </remarks>
[JsonConverter(typeof(AiFeatureJsonConverter))]
public readonly struct AiFeature : IEquatable<AiFeature>
{
    private readonly string? _name;

    /// <summary>Initializes a new instance of the <see cref="AiFeature"/> struct.</summary>
    /// <param name="name">The feature name: letters, digits, '-', '_' or '.', at most 64 characters.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains other characters.</exception>
    public AiFeature(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid AI feature name: use 1 to 64 letters, digits, '-', '_' or '.'.", nameof(name));
        }

        _name = name;
    }

    /// <summary>An AI reply suggestion: a draft for an agent to review.</summary>
    public static AiFeature ReplySuggestion { get; } = new("ReplySuggestion");

    /// <summary>An AI summary of a conversation thread.</summary>
    public static AiFeature ConversationSummary { get; } = new("ConversationSummary");

    /// <summary>An automated response sent on behalf of the team; requires automation to be activated.</summary>
    public static AiFeature AutomatedResponse { get; } = new("AutomatedResponse");

    /// <summary>Classification of an incoming message: intent, sentiment and priority in one call.</summary>
    public static AiFeature Classification { get; } = new("Classification");

    /// <summary>Gets the built-in features.</summary>
    public static IReadOnlyList<AiFeature> BuiltIn { get; } = [ReplySuggestion, ConversationSummary, AutomatedResponse, Classification];

    /// <summary>Gets the feature name.</summary>
    public string Name => _name ?? string.Empty;

    /// <summary>Gets a value indicating whether this is the default, unnamed value.</summary>
    public bool IsEmpty => _name is null;

    /// <summary>Parses a feature name, returning <see langword="false"/> when it is not a valid name.</summary>
    /// <param name="name">The name to parse.</param>
    /// <param name="feature">The feature, when the name is valid.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is a valid feature name.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, out AiFeature feature)
    {
        if (name is null || !IsValidName(name))
        {
            feature = default;
            return false;
        }

        foreach (var builtIn in BuiltIn)
        {
            if (string.Equals(builtIn.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                feature = builtIn;
                return true;
            }
        }

        feature = new AiFeature(name);
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(AiFeature other) => string.Equals(_name, other._name, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AiFeature other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _name is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(_name);

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Compares two features for equality.</summary>
    /// <param name="left">The first feature.</param>
    /// <param name="right">The second feature.</param>
    /// <returns><see langword="true"/> when both name the same feature.</returns>
    public static bool operator ==(AiFeature left, AiFeature right) => left.Equals(right);

    /// <summary>Compares two features for inequality.</summary>
    /// <param name="left">The first feature.</param>
    /// <param name="right">The second feature.</param>
    /// <returns><see langword="true"/> when the features differ.</returns>
    public static bool operator !=(AiFeature left, AiFeature right) => !left.Equals(right);

    private static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
