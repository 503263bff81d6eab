using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.Tests.Ledger;

public sealed class ReservationIdsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0193a1c2-7b7d-7c1e-9d7e-3f0a5b6c7d8e")]
    [InlineData("order-42.retry3")]
    public void An_id_spells_the_key_hash_in_lowercase_hex(string key)
    {
        // The format stored ids already use: the hash's high then low 64 bits, 16 lowercase hex digits each.
        var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key.AsSpan()));
        var expected = "res_"
            + ((ulong)(hash >> 64)).ToString("x16", CultureInfo.InvariantCulture)
            + ((ulong)hash).ToString("x16", CultureInfo.InvariantCulture);

        Assert.Equal(expected, ReservationIds.FromKey(key));
        Assert.Equal(expected, ReservationIds.FromKey(new string(key.AsSpan())));
        Assert.NotEqual(expected, ReservationIds.FromKey(key + "."));
    }
}
