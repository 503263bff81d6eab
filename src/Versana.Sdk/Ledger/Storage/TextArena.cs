namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// Stores many short strings (idempotency keys, actors) back to back in large character blocks, so keeping
/// millions of them costs the garbage collector a handful of objects instead of one each.
/// </summary>
internal sealed class TextArena
{
    private const int BlockSize = 32 * 1024;

    private readonly List<char[]> _blocks = [];
    private int _used = BlockSize;

    /// <summary>Copies <paramref name="text"/> in; <see langword="null"/> gives <see cref="TextSlice.Null"/>.</summary>
    public TextSlice Add(string? text)
    {
        if (text is null)
        {
            return TextSlice.Null;
        }

        if (text.Length > BlockSize - _used)
        {
            // Keys and actors are at most a few hundred characters; a longer text gets a block of its own size.
            _blocks.Add(new char[Math.Max(BlockSize, text.Length)]);
            _used = 0;
        }

        var slice = new TextSlice(_blocks.Count - 1, _used, text.Length);
        text.CopyTo(_blocks[^1].AsSpan(_used));
        _used += text.Length;
        return slice;
    }

    public ReadOnlySpan<char> Span(TextSlice slice) => slice.IsNull ? default : _blocks[slice.Block].AsSpan(slice.Start, slice.Length);

    public string? ToString(TextSlice slice) => slice.IsNull ? null : new string(Span(slice));

    public bool Equals(TextSlice slice, string? text)
        => text is null ? slice.IsNull : !slice.IsNull && Span(slice).SequenceEqual(text);
}

/// <summary>Where a string sits in a <see cref="TextArena"/>.</summary>
internal readonly record struct TextSlice(int Block, int Start, int Length)
{
    public static TextSlice Null { get; } = new(-1, 0, 0);

    public bool IsNull => Block < 0;
}
