using System.Collections.Concurrent;

namespace Versana.Sdk.Tests.Guard;

public sealed class ActionKeysTests
{
    [Fact]
    public async Task Keys_are_unique_under_concurrency_and_valid_idempotency_keys()
    {
        var keys = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                keys.Add(ActionKeys.Next());
            }
        })));

        Assert.Equal(80_000, keys.Distinct(StringComparer.Ordinal).Count());
        foreach (var key in keys.Take(100))
        {
            // The ledger's rule for keys: 1 to 128 printable ASCII characters; retries append ".retryN".
            Assert.InRange(key.Length, 1, 100);
            Assert.False(key.AsSpan().ContainsAnyExceptInRange('!', '~'));
        }

        // One process shares one random prefix, 128 bits in base64url; the part after it counts.
        var prefix = Assert.Single(keys.Select(k => k[..k.LastIndexOf('-')]).Distinct());
        Assert.Matches("^[A-Za-z0-9_-]{22}$", prefix);
        Assert.Equal(16, System.Buffers.Text.Base64Url.DecodeFromChars(prefix).Length);
    }

    [Fact]
    public void The_part_after_the_prefix_is_the_counter_in_sixteen_lowercase_hex_digits()
    {
        var first = ActionKeys.Next();
        var second = ActionKeys.Next();

        var firstCounter = first[(first.LastIndexOf('-') + 1)..];
        var secondCounter = second[(second.LastIndexOf('-') + 1)..];
        Assert.Matches("^[0-9a-f]{16}$", firstCounter);
        Assert.Matches("^[0-9a-f]{16}$", secondCounter);

        // Other tests draw keys at the same time, so later is larger, not necessarily one more.
        Assert.True(
            ulong.Parse(secondCounter, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture)
                > ulong.Parse(firstCounter, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(255UL)]
    [InlineData(256UL)]
    [InlineData(0x0123456789abcdefUL)]
    [InlineData(ulong.MaxValue)]
    public void The_counter_is_written_as_the_x16_format_writes_it(ulong value)
    {
        var written = new char[16];

        ActionKeys.WriteCounter(value, written);

        Assert.Equal(value.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), new string(written));
    }
}
