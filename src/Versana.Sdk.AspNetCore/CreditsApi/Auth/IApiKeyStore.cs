namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Where the credits API keeps workspace API keys: only a key id and the SHA-256 hash of the secret, never
/// the key itself. The in-memory default loses them on restart; the Versana server keeps them in SQLite.
/// </summary>
public interface IApiKeyStore
{
    /// <summary>Finds a key by its public id.</summary>
    /// <param name="keyId">The id part of the key.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The stored key, or <see langword="null"/>.</returns>
    ValueTask<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken);

    /// <summary>Stores a key; a workspace may have several (rotation).</summary>
    /// <param name="key">The key to store.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>A task that completes when the key is stored.</returns>
    ValueTask AddAsync(StoredApiKey key, CancellationToken cancellationToken);
}

/// <summary>A workspace API key as stored: its id, its workspace and the hash of its secret.</summary>
/// <param name="KeyId">The public id (the part of the key before the secret).</param>
/// <param name="WorkspaceId">The workspace the key acts for.</param>
/// <param name="SecretHash">SHA-256 of the secret.</param>
public sealed record StoredApiKey(string KeyId, string WorkspaceId, byte[] SecretHash);
