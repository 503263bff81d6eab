using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore;

/// <summary>Settings of the usage dashboard mounted with <c>MapVersanaDashboard</c>.</summary>
public sealed class VersanaDashboardOptions
{
    /// <summary>
    /// Gets or sets the authorization policy a caller must meet. When <see langword="null"/> (the default) the
    /// dashboard answers local (loopback) requests only, and 404 to every other.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>
    /// Gets or sets a function that says which workspaces the caller may see; by default any (the dashboard
    /// is local or behind <see cref="AuthorizationPolicy"/>). A workspace it refuses answers 404.
    /// </summary>
    public Func<HttpContext, string, bool>? CanViewWorkspace { get; set; }

    /// <summary>Gets or sets the page title.</summary>
    public string Title { get; set; } = "AI credits";
}
