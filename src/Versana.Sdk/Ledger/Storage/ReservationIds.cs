using System.Security.Cryptography;
using System.Text;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// A reservation's id is derived from its idempotency key, so a store can find a reservation by key with
/// the same lookup it uses for the id: one keyed row per reservation, no second index to write.
/// </summary>
internal static class ReservationIds
{
    public static string FromKey(string idempotencyKey)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(idempotencyKey.Length)];
        var length = Encoding.UTF8.GetBytes(idempotencyKey, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        return string.Concat("res_", Convert.ToHexStringLower(hash[..16]));
    }
}
