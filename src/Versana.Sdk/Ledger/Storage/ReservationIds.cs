using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// A reservation's id is derived from its idempotency key, so a store can find a reservation by key with
/// the same lookup it uses for the id: one keyed row per reservation, no second index to write.
/// </summary>
/// <remarks>
/// The hash needs to be stable across processes and versions, not secret: ids are scoped to a workspace,
/// and stores compare the stored key, so a collision can only refuse a request, never merge two.
/// </remarks>
internal static class ReservationIds
{
    public static string FromKey(string idempotencyKey)
    {
        // Keys are printable ASCII (validated), so their UTF-16 bytes are a stable encoding to hash.
        var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(idempotencyKey.AsSpan()));
        return string.Create(36, hash, static (span, value) =>
        {
            "res_".CopyTo(span);
            ((ulong)(value >> 64)).TryFormat(span[4..], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
            ((ulong)value).TryFormat(span[20..], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        });
    }
}
