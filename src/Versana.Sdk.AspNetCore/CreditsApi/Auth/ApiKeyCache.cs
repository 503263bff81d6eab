using Microsoft.Extensions.Caching.Memory;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Remembers found API keys for a minute, so a busy caller does not cost a key-store query per request.
/// Only hits are remembered: a wrong key always reaches the store (and the rate limiter).
/// </summary>
internal sealed class ApiKeyCache(IApiKeyStore store) : IDisposable
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromMinutes(1);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public async ValueTask<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(keyId, out StoredApiKey? cached))
        {
            return cached;
        }

        var found = await store.FindAsync(keyId, cancellationToken);
        if (found is not null)
        {
            _cache.Set(keyId, found, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = s_lifetime });
        }

        return found;
    }

    public void Dispose() => _cache.Dispose();
}
