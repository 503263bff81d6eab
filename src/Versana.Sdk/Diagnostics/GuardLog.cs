using Microsoft.Extensions.Logging;

namespace Versana.Sdk;

/// <summary>The guard's log messages. Event ids are stable; no key, prompt or AI text is ever logged.</summary>
internal static partial class GuardLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "AI action {Feature} refused for workspace {WorkspaceId}: {Reason} (remembered: {FromMemo}).")]
    public static partial void Refused(ILogger logger, AiFeature feature, string workspaceId, CreditDenialReason reason, bool fromMemo);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "AI action {Feature} reuses reservation {ReservationId} of an outer guarded scope.")]
    public static partial void Reused(ILogger logger, AiFeature feature, string reservationId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Releasing reservation {ReservationId} for {Feature} failed; the ledger releases it when its TTL ends.")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string reservationId, AiFeature feature);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Committing reservation {ReservationId} for {Feature} failed after the AI action succeeded.")]
    public static partial void CommitFailed(ILogger logger, Exception exception, string reservationId, AiFeature feature);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "AI action {Feature} outlived its hold {ReservationId}; it was charged after the fact under {LateReservationId}. Raise the TTL for actions this long.")]
    public static partial void ChargedLate(ILogger logger, AiFeature feature, string reservationId, string lateReservationId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "AI action {Feature} outlived its hold {ReservationId}, and workspace {WorkspaceId} could not pay for it after the fact: it ran uncharged. Raise the TTL for actions this long.")]
    public static partial void LateChargeRefused(ILogger logger, AiFeature feature, string workspaceId, string reservationId);
}
