using System.Buffers;

namespace Versana.Sdk;

/// <content>Argument checks: every request is validated before it reaches a store.</content>
public sealed partial class CreditLedger
{
    private static readonly SearchValues<char> s_idChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    internal static void ValidateWorkspaceId(string workspaceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        if (workspaceId.Length > MaxIdLength || workspaceId.AsSpan().ContainsAnyExcept(s_idChars))
        {
            throw new ArgumentException(
                $"A workspace id is 1 to {MaxIdLength} letters, digits, '-', '_' or '.'.", nameof(workspaceId));
        }
    }

    internal static void ValidateKey(string key, string paramName)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || key.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            throw new ArgumentException(
                $"An idempotency key or id is 1 to {MaxKeyLength} printable ASCII characters without spaces (a GUID works well).", paramName);
        }
    }

    private static void ValidateActor(string? actor)
    {
        if (actor is not null && (actor.Length is 0 or > MaxKeyLength || actor.Any(char.IsControl)))
        {
            throw new ArgumentException($"An actor is 1 to {MaxKeyLength} characters without control characters.", nameof(actor));
        }
    }

    private CreditPlan FindPlan(string plan)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(plan);
        return _plans.TryGetValue(plan, out var found)
            ? found
            : throw new ArgumentException($"'{plan}' is not a plan. Choose one of {string.Join(", ", _plans.Keys)}.", nameof(plan));
    }

    private Dictionary<string, long>? ValidateCosts(IReadOnlyDictionary<AiFeature, long>? costs)
    {
        if (costs is null)
        {
            return null;
        }

        var validated = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (feature, cost) in costs)
        {
            if (feature.IsEmpty)
            {
                throw new ArgumentException("Workspace costs name an empty feature.", nameof(costs));
            }

            if (cost <= 0 || cost > _maxCredits)
            {
                throw new ArgumentOutOfRangeException(nameof(costs), cost, $"The cost of '{feature}' must be between 1 and {_maxCredits} credits.");
            }

            validated[feature.Name] = cost;
        }

        return validated;
    }
}
