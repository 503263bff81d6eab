namespace Versana.Sdk;

/// <summary>
/// A <see cref="ReservationRequest"/> as a value: what the credit guard asks a ledger to hold on every call, without a
/// request object per call (see <see cref="IGuardLedger"/>).
/// </summary>
/// <param name="Feature">The AI feature about to run.</param>
/// <param name="IdempotencyKey">The action's idempotency key.</param>
/// <param name="Credits">The credits to hold; <see langword="null"/> holds the feature's cost.</param>
/// <param name="Ttl">How long to hold them; <see langword="null"/> uses the ledger's default.</param>
/// <param name="Actor">Who acts, for reporting.</param>
internal readonly record struct ReservationRequestValue(AiFeature Feature, string IdempotencyKey, long? Credits, TimeSpan? Ttl, string? Actor)
{
    public static ReservationRequestValue From(ReservationRequest request) => new(request.Feature, request.IdempotencyKey, request.Credits, request.Ttl, request.Actor);

    public ReservationRequest ToRequest() => new(Feature, IdempotencyKey) { Credits = Credits, Ttl = Ttl, Actor = Actor };
}
