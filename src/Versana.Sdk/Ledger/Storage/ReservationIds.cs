using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// A reservation's id is derived from its idempotency key, so a store finds a reservation by key with the lookup
/// it uses for the id: one keyed row per reservation, no second index to write.
/// </summary>
/// <remarks>
/// The hash needs to be stable across processes and versions, not secret: ids are scoped to a workspace, and the
/// rules compare the stored key, so a collision can only refuse a request, never merge two.
/// </remarks>
internal static class ReservationIds
{
    public static string FromKey(string idempotencyKey)
        // Keys are printable ASCII (validated), so their UTF-16 bytes are a stable encoding to hash.
        => "res_" + Convert.ToHexStringLower(XxHash128.Hash(MemoryMarshal.AsBytes(idempotencyKey.AsSpan())));
}
