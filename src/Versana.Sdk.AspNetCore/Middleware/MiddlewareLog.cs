using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Versana.Sdk.AspNetCore;

internal static partial class MiddlewareLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "A request to the guarded endpoint {Path} names no workspace; refused with 403.")]
    public static partial void WorkspaceUnresolved(ILogger logger, PathString path);
}
