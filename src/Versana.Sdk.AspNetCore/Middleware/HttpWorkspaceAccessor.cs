using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

/// <summary>Charges the current request's workspace; outside a request, the configured default.</summary>
internal sealed class HttpWorkspaceAccessor(IHttpContextAccessor httpContextAccessor, HttpWorkspaceResolver resolver, IOptions<VersanaOptions> options) : IWorkspaceAccessor
{
    public string? WorkspaceId => httpContextAccessor.HttpContext is { } context
        ? context.Features.Get<ICreditGuardFeature>()?.Context.WorkspaceId ?? resolver.Resolve(context)
        : options.Value.WorkspaceId;
}
