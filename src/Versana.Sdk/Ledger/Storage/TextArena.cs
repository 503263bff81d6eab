using System.Runtime.InteropServices;
using System.Text;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// Stores many short strings (idempotency keys, actors) back to back in large byte blocks, so keeping
/// millions of them costs the garbage collector a handful of objects instead of one each.
/// </summary>
/// <remarks>
/// Idempotency keys are printable ASCII (the ledger validates them), so a string of ASCII is kept one byte a
/// character, half what its UTF-16 takes; any other string (an actor's name, say) is kept as its UTF-16 code
/// units, so it reads back exactly, unpaired surrogates and all.
/// </remarks>
internal sealed class TextArena
{
    // Below the large object heap's 85,000 bytes, as the journal's chunks are.
    private const int BlockSize = 64 * 1024;

    private readonly List<byte[]> _blocks = [];

    // Past the end of a block that does not exist yet: the first text, even an empty one, opens the first block.
    private int _used = BlockSize + 1;

    /// <summary>Copies <paramref name="text"/> in; <see langword="null"/> gives <see cref="TextSlice.Null"/>.</summary>
    public TextSlice Add(string? text)
    {
        if (text is null)
        {
            return TextSlice.Null;
        }

        var wide = !Ascii.IsValid(text);
        var bytes = wide ? text.Length * sizeof(char) : text.Length;

        var start = _used;
        if (bytes > BlockSize - start)
        {
            // Keys and actors are at most a few hundred characters; a longer text gets a block of its own size.
            _blocks.Add(new byte[Math.Max(BlockSize, bytes)]);
            start = 0;
        }

        var destination = _blocks[^1].AsSpan(start, bytes);
        if (wide)
        {
            MemoryMarshal.AsBytes(text.AsSpan()).CopyTo(destination);
        }
        else
        {
            Ascii.FromUtf16(text, destination, out _);
        }

        _used = start + bytes;
        return new TextSlice(_blocks.Count - 1, start, text.Length, wide);
    }

    public string? ToString(TextSlice slice)
    {
        if (slice.IsNull)
        {
            return null;
        }

        var bytes = Bytes(slice);
        return slice.Wide ? new string(MemoryMarshal.Cast<byte, char>(bytes)) : Encoding.ASCII.GetString(bytes);
    }

    public bool Equals(TextSlice slice, string? text)
    {
        if (text is null || slice.IsNull)
        {
            return text is null && slice.IsNull;
        }

        var bytes = Bytes(slice);
        return slice.Length == text.Length
            && (slice.Wide ? MemoryMarshal.Cast<byte, char>(bytes).SequenceEqual(text) : Ascii.Equals(bytes, text));
    }

    private ReadOnlySpan<byte> Bytes(TextSlice slice)
        => _blocks[slice.Block].AsSpan(slice.Start, slice.Wide ? slice.Length * sizeof(char) : slice.Length);
}

/// <summary>Where a string sits in a <see cref="TextArena"/>: its block, its first byte, and its length in characters.</summary>
internal readonly struct TextSlice
{
    // The top bit of the length says the text is kept as UTF-16; the struct stays 12 bytes in the journal's rows.
    private const int WideFlag = int.MinValue;

    private readonly int _length;

    public TextSlice(int block, int start, int length, bool wide)
    {
        Block = block;
        Start = start;
        _length = wide ? length | WideFlag : length;
    }

    public static TextSlice Null { get; } = new(-1, 0, 0, wide: false);

    public int Block { get; }

    public int Start { get; }

    /// <summary>Gets the length in characters.</summary>
    public int Length => _length & ~WideFlag;

    public bool Wide => _length < 0;

    public bool IsNull => Block < 0;
}
