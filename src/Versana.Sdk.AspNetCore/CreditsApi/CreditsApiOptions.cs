using System.ComponentModel.DataAnnotations;

namespace Versana.Sdk.AspNetCore;

/// <summary>Settings of the credits HTTP API mapped with <c>MapVersanaCreditsApi</c>.</summary>
public sealed class CreditsApiOptions
{
    /// <summary>The claim a workspace API key authenticates as.</summary>
    public const string WorkspaceClaimType = "versana:workspace";

    /// <summary>
    /// Gets or sets the admin key (workspace creation, key issue, every workspace). <see langword="null"/> turns
    /// the admin routes off. Keep it in configuration or a secret store, never in code.
    /// </summary>
    public string? AdminKey
    {
        get;
        set
        {
            field = value;
            AdminKeyHash = value is null ? null : ApiKeys.Hash(value);
        }
    }

    /// <summary>Gets or sets the largest request body accepted, in bytes (larger is 413). Default 64 KiB.</summary>
    [Range(1, 16 * 1024 * 1024)]
    public long MaxRequestBodySize { get; set; } = 64 * 1024;

    /// <summary>Gets or sets how many requests one caller (API key, or address without one) may make per second. Default 2,000.</summary>
    [Range(1, int.MaxValue)]
    public int PermitsPerSecond { get; set; } = 2_000;

    /// <summary>Gets or sets how many requests over <see cref="PermitsPerSecond"/> may burst at once. Default 4,000.</summary>
    [Range(1, int.MaxValue)]
    public int BurstPermits { get; set; } = 4_000;

    internal byte[]? AdminKeyHash { get; private set; }
}
