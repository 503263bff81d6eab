using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// A reservation's id is derived from its idempotency key, so a store can find a reservation by key with
/// the same lookup it uses for the id: one keyed row per reservation, no second index to write.
/// </summary>
/// <remarks>
/// The hash needs to be stable across processes and versions, not secret: ids are scoped to a workspace,
/// and stores compare the stored key, so a collision can only refuse a request, never merge two.
/// </remarks>
internal static class ReservationIds
{
    private const string Prefix = "res_";
    private const int Length = 36;

    private static readonly SearchValues<char> s_lowerHex = SearchValues.Create("0123456789abcdef");

    // A reserve names its reservation from the key before the workspace lock, then the in-memory journal looks the key
    // up and records the reservation under it: the same key hashed twice and the same id spelled out again to check
    // it, on the same thread. The last key and id made on each thread are remembered by reference (strings are
    // immutable, and the memo keeps them alive, so a match is always the same text).
    [ThreadStatic]
    private static string? t_lastKey;

    [ThreadStatic]
    private static UInt128 t_lastKeyHash;

    [ThreadStatic]
    private static string? t_lastId;

    [ThreadStatic]
    private static UInt128 t_lastIdHash;

    public static string FromKey(string idempotencyKey)
    {
        var hash = Hash(idempotencyKey);
        var id = Format(hash);
        t_lastId = id;
        t_lastIdHash = hash;
        return id;
    }

    /// <summary>The 128-bit hash an id spells out.</summary>
    public static UInt128 Hash(string idempotencyKey)
    {
        if (ReferenceEquals(idempotencyKey, t_lastKey))
        {
            return t_lastKeyHash;
        }

        // Keys are printable ASCII (validated), so their UTF-16 bytes are a stable encoding to hash.
        var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(idempotencyKey.AsSpan()));
        t_lastKeyHash = hash;
        t_lastKey = idempotencyKey;
        return hash;
    }

    public static string Format(UInt128 hash) => string.Create(Length, hash, static (span, value) => Write(value, span));

    /// <summary>Whether <paramref name="id"/> is exactly what <see cref="Format"/> writes for <paramref name="hash"/>; cheaper than parsing it.</summary>
    public static bool IsIdOf(string id, UInt128 hash)
    {
        if (ReferenceEquals(id, t_lastId))
        {
            return t_lastIdHash == hash;
        }

        if (id.Length != Length)
        {
            return false;
        }

        Span<char> expected = stackalloc char[Length];
        Write(hash, expected);
        return id.AsSpan().SequenceEqual(expected);
    }

    private static void Write(UInt128 hash, Span<char> destination)
    {
        Prefix.CopyTo(destination);
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, hash);
        Convert.TryToHexStringLower(bytes, destination[Prefix.Length..], out _);
    }

    /// <summary>Reads the hash back from an id that <see cref="Format"/> wrote, and only from such an id (so formatting it again gives the same string).</summary>
    public static bool TryParse(string id, out UInt128 hash)
    {
        hash = default;
        if (id.Length != Length || !id.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var digits = id.AsSpan(Prefix.Length);
        Span<byte> bytes = stackalloc byte[16];
        if (digits.ContainsAnyExcept(s_lowerHex) || Convert.FromHexString(digits, bytes, out _, out _) != OperationStatus.Done)
        {
            return false;
        }

        hash = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }
}
