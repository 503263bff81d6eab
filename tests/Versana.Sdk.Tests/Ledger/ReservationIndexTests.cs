using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.Tests.Ledger;

public sealed class ReservationIndexTests
{
    [Fact]
    public void ManyEntries_AreAllFound_AcrossShardSplits()
    {
        var index = new ReservationIndex();
        var random = new Random(7);
        var hashes = Enumerable.Range(0, 200_000).Select(_ => new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64())).Distinct().ToArray();
        for (var i = 0; i < hashes.Length; i++)
        {
            index.Add(hashes[i], i);
        }

        Assert.Equal(hashes.Length, index.Count);
        for (var i = 0; i < hashes.Length; i++)
        {
            Assert.True(index.TryGetValue(hashes[i], out var value));
            Assert.Equal(i, value);
        }

        Assert.False(index.ContainsKey(new UInt128(1, 2)));
        Assert.True(index.ShardCount >= hashes.Length / ReservationIndex.ShardCapacity);
    }

    [Fact]
    public void HashesSharingTheirLowBits_StillSplitAndAreFound()
    {
        // Only the upper half differs: every entry falls in the same shard however deep the directory goes.
        // Each split that moves nothing doubles that shard's limit, so 20,000 inserts split a handful of times
        // instead of doubling the directory on every insert past the first thousand.
        var index = new ReservationIndex();
        for (var i = 0; i < 20_000; i++)
        {
            index.Add(new UInt128((ulong)i, 42), i);
        }

        Assert.Equal(20_000, index.Count);
        Assert.True(index.TryGetValue(new UInt128(5, 42), out var five));
        Assert.Equal(5, five);
        Assert.True(index.DirectorySize <= 64, $"The directory has {index.DirectorySize} slots.");
    }

    [Fact]
    public void AddingAKeyTwice_Throws_AndKeepsTheFirst()
    {
        var index = new ReservationIndex();
        index.Add(7, 1);
        Assert.Throws<ArgumentException>(() => index.Add(7, 2));
        Assert.True(index.TryGetValue(7, out var value));
        Assert.Equal(1, value);
        Assert.Equal(1, index.Count);
    }
}
