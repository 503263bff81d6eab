using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.Tests.Ledger;

/// <summary>
/// The in-memory store's hash index: every record it was given is found under its own hash and no other, through
/// probe runs, growth and slots whose codes match.
/// </summary>
public sealed class ReservationIndexTests
{
    [Fact]
    public void Empty_index_finds_nothing()
    {
        var index = new ReservationIndex();

        Assert.Equal(-1, index.Find(UInt128.One, new Records([])));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Every_record_is_found_under_its_hash_after_the_index_grew_many_times()
    {
        var hashes = RandomHashes(200_000, seed: 7);
        var records = new Records(hashes);
        var index = new ReservationIndex();

        for (var i = 0; i < hashes.Length; i++)
        {
            Assert.Equal(-1, index.Find(hashes[i], records));
            index.Add(hashes[i], i);
        }

        Assert.Equal(hashes.Length, index.Count);
        for (var i = 0; i < hashes.Length; i++)
        {
            Assert.Equal(i, index.Find(hashes[i], records));
        }
    }

    [Fact]
    public void Hashes_never_added_are_not_found()
    {
        var hashes = RandomHashes(50_000, seed: 11);
        var records = new Records(hashes);
        var index = Filled(hashes);

        // The same high halves with other low halves, and wholly other hashes: a lookup must confirm the whole hash.
        foreach (var other in hashes.Select(h => h ^ 1).Concat(RandomHashes(50_000, seed: 13)))
        {
            Assert.Equal(-1, index.Find(other, records));
        }
    }

    [Fact]
    public void A_slot_whose_code_matches_is_confirmed_against_the_record()
    {
        // Two hashes share a 32-bit code more often than not among 600,000 (about 42 pairs by the birthday bound);
        // the record the index returns is always the one whose hash is asked for.
        var hashes = RandomHashes(600_000, seed: 17);
        var records = new Records(hashes);
        var index = Filled(hashes);

        var byCode = hashes.Select((h, i) => (Code: HashCode.Combine((ulong)h, (ulong)(h >> 64)), Record: i)).GroupBy(x => x.Code).Where(g => g.Count() > 1).ToList();
        Assert.NotEmpty(byCode);
        foreach (var pair in byCode.SelectMany(g => g))
        {
            Assert.Equal(pair.Record, index.Find(hashes[pair.Record], records));
        }
    }

    [Fact]
    public void Record_numbers_the_slot_cannot_hold_are_refused()
    {
        var index = new ReservationIndex();

        Assert.Throws<ArgumentOutOfRangeException>(() => index.Add(UInt128.One, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Add(UInt128.One, int.MaxValue));
        Assert.Equal(0, index.Count);
    }

    private static ReservationIndex Filled(UInt128[] hashes)
    {
        var index = new ReservationIndex();
        for (var i = 0; i < hashes.Length; i++)
        {
            index.Add(hashes[i], i);
        }

        return index;
    }

    private static UInt128[] RandomHashes(int count, int seed)
    {
        var random = new Random(seed);
        var hashes = new HashSet<UInt128>();
        while (hashes.Count < count)
        {
            hashes.Add(new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()));
        }

        return [.. hashes];
    }

    private readonly struct Records(UInt128[] hashes) : IHashedRecords
    {
        public UInt128 HashOf(int record) => hashes[record];
    }
}
