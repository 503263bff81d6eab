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

        // One process shares one random prefix; the part after it counts.
        Assert.Single(keys.Select(k => k[..k.LastIndexOf('-')]).Distinct());
    }
}
