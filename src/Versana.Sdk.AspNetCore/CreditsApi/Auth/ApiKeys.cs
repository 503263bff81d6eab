using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// Makes and checks API keys of the form <c>vk_{id}_{secret}</c>: the id finds the stored hash, the secret's
/// SHA-256 is compared with it in constant time. Secrets are 32 random bytes, so a fast hash is enough.
/// </summary>
internal static class ApiKeys
{
    private const string Prefix = "vk_";

    public static (string Key, StoredApiKey Stored) Create(string workspaceId)
    {
        // The id is hex so it never contains the "_" that separates it from the (base64url) secret.
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{id}_{secret}", new StoredApiKey(id, workspaceId, Hash(secret)));
    }

    public static bool TryParse(string key, out string keyId, out string secret)
    {
        keyId = secret = "";
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length > 256)
        {
            return false;
        }

        var separator = key.IndexOf('_', Prefix.Length);
        if (separator < 0)
        {
            return false;
        }

        keyId = key[Prefix.Length..separator];
        secret = key[(separator + 1)..];
        return keyId.Length > 0 && secret.Length > 0;
    }

    public static bool Matches(string secret, byte[] expectedHash)
        => CryptographicOperations.FixedTimeEquals(Hash(secret), expectedHash);

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
