using Microsoft.Extensions.Logging;

namespace Versana.Sdk;

internal static partial class RemoteLedgerLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "The credits service could not be reached for {Method} {Path}.")]
    public static partial void Unreachable(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Granted {Credits} credits for {Feature} locally while the credits service is unreachable; {Left} of the allowance left.")]
    public static partial void GrantedLocally(ILogger logger, long credits, AiFeature feature, long left);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "Refused {Credits} credits for {Feature}: the credits service is unreachable and the local allowance is used up.")]
    public static partial void AllowanceExhausted(ILogger logger, long credits, AiFeature feature);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Charged {Credits} credits, used while the credits service was unreachable, to workspace {WorkspaceId}.")]
    public static partial void Reconciled(ILogger logger, long credits, string workspaceId);

    [LoggerMessage(EventId = 304, Level = LogLevel.Error, Message = "Could not charge {Credits} credits, used while the credits service was unreachable, to workspace {WorkspaceId}: {Reason}.")]
    public static partial void ReconcileRefused(ILogger logger, long credits, string workspaceId, string reason);
}
