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

    /// <summary>Checks a reservation request.</summary>
    internal void ValidateReservation(string workspaceId, ReservationRequest request)
    {
        ValidateWorkspaceId(workspaceId);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Feature.IsEmpty)
        {
            throw new ArgumentException("The reservation names no AI feature.", nameof(request));
        }

        ValidateKey(request.IdempotencyKey, nameof(request));
        var maxCredits = _policy.MaxCreditsPerRequest;
        if (request.Credits is { } credits && (credits <= 0 || credits > maxCredits))
        {
            throw new ArgumentOutOfRangeException(
                nameof(request),
                credits,
                $"A reservation must hold between 1 and {maxCredits} credits; omit Credits to hold the feature's configured cost.");
        }

        if (request.Ttl is { } ttl && (ttl <= TimeSpan.Zero || ttl > _policy.MaxReservationTtl))
        {
            throw new ArgumentOutOfRangeException(nameof(request), ttl, $"A reservation TTL must be positive and at most {_policy.MaxReservationTtl}.");
        }

        ValidateActor(request.Actor);
    }

    /// <summary>Checks a commit request.</summary>
    internal static void ValidateCommit(string workspaceId, string reservationId, long? actualCredits, long? tokens)
    {
        ValidateWorkspaceId(workspaceId);
        ValidateKey(reservationId, nameof(reservationId));
        if (actualCredits < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(actualCredits), actualCredits, "The actual cost cannot be negative; release the reservation if the action did not run.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(tokens ?? 0, nameof(tokens));
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
        return _policy.FindPlan(plan)
            ?? throw new ArgumentException($"'{plan}' is not a plan. Choose one of {string.Join(", ", _policy.PlanNames)}.", nameof(plan));
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

            if (cost <= 0 || cost > _policy.MaxCreditsPerRequest)
            {
                throw new ArgumentOutOfRangeException(nameof(costs), cost, $"The cost of '{feature}' must be between 1 and {_policy.MaxCreditsPerRequest} credits.");
            }

            validated[feature.Name] = cost;
        }

        return validated;
    }
}
