using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.Tests.Ledger;

/// <summary>
/// The journal's text store: ASCII kept a byte a character, anything else as UTF-16, and every string read back
/// exactly and compared exactly, across block boundaries.
/// </summary>
public sealed class TextArenaTests
{
    [Fact]
    public void Strings_read_back_exactly_whatever_their_characters()
    {
        var arena = new TextArena();
        string?[] texts =
        [
            "0f3c2a9b8e7d6c5b4a3928170f1e2d3c-0000000000000001",
            null,
            string.Empty,
            "Zoë Ångström",
            "x",
            "agent \ud83d\ude00 and a lone \ud800 surrogate",
            "~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}",
            "Łukasz",
        ];

        var slices = texts.Select(arena.Add).ToArray();

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(texts[i], arena.ToString(slices[i]));
            Assert.True(arena.Equals(slices[i], texts[i]));
        }
    }

    [Fact]
    public void An_empty_string_may_be_the_first_text()
    {
        var arena = new TextArena();

        var empty = arena.Add(string.Empty);
        var next = arena.Add("key-0001");

        Assert.Equal(string.Empty, arena.ToString(empty));
        Assert.True(arena.Equals(empty, string.Empty));
        Assert.False(arena.Equals(empty, null));
        Assert.Equal("key-0001", arena.ToString(next));
        Assert.Equal(empty.Block, next.Block);
    }

    [Fact]
    public void A_string_equals_only_itself()
    {
        var arena = new TextArena();
        var key = arena.Add("key-0001");
        var name = arena.Add("Zoë");
        var none = arena.Add(null);

        Assert.False(arena.Equals(key, "key-0002"));
        Assert.False(arena.Equals(key, "key-00010"));
        Assert.False(arena.Equals(key, "key-000"));
        Assert.False(arena.Equals(key, "kéy-0001"));
        Assert.False(arena.Equals(key, null));
        Assert.False(arena.Equals(name, "Zoe"));
        Assert.False(arena.Equals(name, "Zoë!"));
        Assert.False(arena.Equals(none, string.Empty));
        Assert.True(arena.Equals(none, null));
        Assert.False(arena.Equals(arena.Add(string.Empty), null));
    }

    [Fact]
    public void Many_strings_fill_many_blocks_and_all_read_back()
    {
        var arena = new TextArena();
        var texts = Enumerable.Range(0, 20_000)
            .Select(i => i % 7 == 0 ? $"actor-é-{i}" : $"{Guid.NewGuid():N}-{i:x16}")
            .Append(new string('k', 100_000))
            .Append(new string('é', 50_000))
            .Append("after the long ones")
            .ToArray();

        var slices = texts.Select(arena.Add).ToArray();

        Assert.True(slices.Select(s => s.Block).Distinct().Count() > 10);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(texts[i], arena.ToString(slices[i]));
            Assert.True(arena.Equals(slices[i], texts[i]));
        }
    }
}
