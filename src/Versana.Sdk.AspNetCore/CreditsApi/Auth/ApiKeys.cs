using System.Buffers;
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

    /// <summary>Splits a workspace key into its id and the index where its secret starts.</summary>
    public static bool TryParse(ReadOnlySpan<char> key, out ReadOnlySpan<char> keyId, out int secretStart)
    {
        keyId = default;
        secretStart = 0;
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length > 256)
        {
            return false;
        }

        var rest = key[Prefix.Length..];
        var separator = rest.IndexOf('_');
        if (separator <= 0 || separator == rest.Length - 1)
        {
            return false;
        }

        keyId = rest[..separator];
        secretStart = Prefix.Length + separator + 1;
        return true;
    }

    public static bool Matches(ReadOnlySpan<char> secret, byte[] expectedHash)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(secret, hash);
        return CryptographicOperations.FixedTimeEquals(hash, expectedHash);
    }

    public static byte[] Hash(string secret)
    {
        var hash = new byte[SHA256.HashSizeInBytes];
        Hash(secret, hash);
        return hash;
    }

    // Every request is authenticated, so the secret's bytes and its hash stay on the stack; only a key longer
    // than any this API issues (an admin key is the operator's choice) borrows a buffer, wiped before return.
    private static void Hash(ReadOnlySpan<char> secret, Span<byte> destination)
    {
        const int StackLimit = 768;
        var maxBytes = Encoding.UTF8.GetMaxByteCount(secret.Length);
        byte[]? rented = null;
        var utf8 = maxBytes <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(secret, utf8);
            SHA256.HashData(utf8[..length], destination);
        }
        finally
        {
            if (rented is not null)
            {
                CryptographicOperations.ZeroMemory(rented);
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
