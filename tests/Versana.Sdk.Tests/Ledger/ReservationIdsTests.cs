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
    public void An_id_spells_the_key_hash_in_lowercase_hex_and_parses_back(string key)
    {
        // The format stored ids already use: the hash's high then low 64 bits, 16 lowercase hex digits each.
        var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key.AsSpan()));
        var expected = "res_"
            + ((ulong)(hash >> 64)).ToString("x16", CultureInfo.InvariantCulture)
            + ((ulong)hash).ToString("x16", CultureInfo.InvariantCulture);

        Assert.Equal(expected, ReservationIds.FromKey(key));
        Assert.True(ReservationIds.TryParse(expected, out var parsed));
        Assert.Equal(hash, parsed);
        Assert.Equal(expected, ReservationIds.Format(parsed));
        Assert.True(ReservationIds.IsIdOf(expected, hash));
        Assert.False(ReservationIds.IsIdOf(expected, hash ^ 1));
        Assert.False(ReservationIds.IsIdOf(expected.ToUpperInvariant(), hash));
        Assert.False(ReservationIds.IsIdOf(expected + "0", hash));
    }

    [Fact]
    public void The_last_key_and_id_remembered_answer_only_for_themselves()
    {
        // A reserve hashes its key and spells its id once; the journal asks again for the same strings.
        static UInt128 Direct(string key) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key.AsSpan()));
        var first = string.Concat("order-", "1");
        var second = string.Concat("order-", "2");
        var id = ReservationIds.FromKey(first);

        Assert.Equal(Direct(first), ReservationIds.Hash(first));
        Assert.True(ReservationIds.IsIdOf(id, Direct(first)));
        Assert.False(ReservationIds.IsIdOf(id, Direct(second)));

        // Another key right after: its own hash, not the remembered one; the same text in another string hashes alike.
        Assert.Equal(Direct(second), ReservationIds.Hash(second));
        Assert.Equal(Direct(first), ReservationIds.Hash(string.Concat("order-", "1")));

        // An id with the remembered one's text but not its string is checked by spelling the hash out.
        var sameText = new string(id.AsSpan());
        Assert.True(ReservationIds.IsIdOf(sameText, Direct(first)));
        Assert.False(ReservationIds.IsIdOf(sameText, Direct(second)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("res_")]
    [InlineData("res_0123456789abcdef0123456789abcde")]
    [InlineData("res_0123456789abcdef0123456789abcdef0")]
    [InlineData("res_0123456789ABCDEF0123456789abcdef")]
    [InlineData("rex_0123456789abcdef0123456789abcdef")]
    [InlineData("res_0123456789abcdef0123456789abcdeg")]
    [InlineData("lease_0123456789abcdef0123456789abcd")]
    public void Only_ids_the_ledger_formats_parse(string id)
        => Assert.False(ReservationIds.TryParse(id, out _));
}
