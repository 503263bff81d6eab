using Microsoft.Extensions.Options;

namespace Versana.Sdk;

/// <summary>Charges <see cref="VersanaOptions.WorkspaceId"/>: the single-workspace default.</summary>
internal sealed class DefaultWorkspaceAccessor(IOptions<VersanaOptions> options) : IWorkspaceAccessor
{
    public string? WorkspaceId => options.Value.WorkspaceId;
}
