namespace Versana.Sdk;

/// <summary>
/// Says which workspace the current work is for. Multi-tenant apps replace it (the ASP.NET Core package
/// resolves it from the request); the default returns <see cref="VersanaOptions.WorkspaceId"/>.
/// </summary>
public interface IWorkspaceAccessor
{
    /// <summary>Gets the current workspace id, or <see langword="null"/> when there is none.</summary>
    string? WorkspaceId { get; }
}
