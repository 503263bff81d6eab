using System.Collections.Concurrent;

namespace Versana.Sdk.AspNetCore;

/// <summary>Keeps API keys in memory: for tests and single-process demos.</summary>
internal sealed class InMemoryApiKeyStore : IApiKeyStore
{
    private readonly ConcurrentDictionary<string, StoredApiKey> _keys = new(StringComparer.Ordinal);

    public ValueTask<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken)
        => ValueTask.FromResult(_keys.GetValueOrDefault(keyId));

    public ValueTask AddAsync(StoredApiKey key, CancellationToken cancellationToken)
    {
        _keys[key.KeyId] = key;
        return ValueTask.CompletedTask;
    }
}
