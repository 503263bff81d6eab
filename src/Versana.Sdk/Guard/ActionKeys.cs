using System.Globalization;
using System.Security.Cryptography;

namespace Versana.Sdk;

/// <summary>
/// Idempotency keys for user actions that bring none of their own: a random prefix drawn once per process,
/// then a counter. Unique across processes and restarts without asking the operating system for randomness
/// on every call (which costs about half a microsecond on the virtual machines measured, a quarter of a
/// guarded call).
/// </summary>
internal static class ActionKeys
{
    // 128 random bits: two processes share a prefix with negligible probability, and a process never repeats a counter.
    private static readonly string s_prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "-";
    private static long s_counter;

    /// <summary>Returns a key no other action of any process has had.</summary>
    public static string Next()
    {
        var counter = (ulong)Interlocked.Increment(ref s_counter);
        return string.Create(s_prefix.Length + 16, counter, static (span, value) =>
        {
            s_prefix.CopyTo(span);
            value.TryFormat(span[s_prefix.Length..], out _, "x16", CultureInfo.InvariantCulture);
        });
    }
}
