using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore;

/// <summary>
/// A JSON reply written in one piece, with its <c>Content-Length</c>: the value is serialized into a buffer of
/// the thread's first, then copied into the response.
/// </summary>
/// <remarks>
/// <c>TypedResults.Json</c> streams into the response, which Kestrel then sends chunked (a chunk header and the
/// closing chunk around every reply), and it links a cancellation source to the request for each write. The
/// credits API's replies are small and already in memory, so neither buys anything; on the reserve and commit
/// path, where every request carries one reply, the difference shows (see docs/benchmarks.md). The bytes are
/// those of <see cref="JsonSerializer.Serialize{TValue}(TValue, JsonSerializerOptions?)"/> with the same options.
/// </remarks>
/// <typeparam name="T">The type of the value written.</typeparam>
internal sealed class WireJsonResult<T>(T value, JsonSerializerOptions options, int statusCode, string contentType) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IContentTypeHttpResult
{
    /// <summary>Replies larger than this are written through a buffer of their own, so no thread keeps a large one.</summary>
    private const int KeptBufferBytes = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    // The writer over t_buffer, kept with it (a writer is ~150 B, allocated per reply otherwise), and the
    // serializer options it was made for: its own Options read back normalized, so they are not compared.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static JsonSerializerOptions? t_writerMadeFor;

    /// <inheritdoc/>
    public int? StatusCode => statusCode;

    /// <inheritdoc/>
    public T? Value => value;

    /// <inheritdoc/>
    object? IValueHttpResult.Value => value;

    /// <inheritdoc/>
    public string ContentType => contentType;

    /// <inheritdoc/>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        var writer = ReferenceEquals(t_writerMadeFor, options) ? t_writer : null;
        t_buffer = null;
        t_writer = null;
        try
        {
            writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions
            {
                Encoder = options.Encoder,
                Indented = options.WriteIndented,
                IndentCharacter = options.IndentCharacter,
                IndentSize = options.IndentSize,
                NewLine = options.NewLine,
                MaxDepth = options.MaxDepth,
                SkipValidation = true,
            });
            var declared = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
            if (IsWrittenAsDeclared(value, declared))
            {
                JsonSerializer.Serialize(writer, value, declared);
            }
            else
            {
                JsonSerializer.Serialize(writer, value, options.GetTypeInfo(value!.GetType()));
            }

            writer.Flush();

            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = contentType;
            response.ContentLength = buffer.WrittenCount;

            // Copied into the response's pipe before FlushAsync returns, so the buffer can go back at once.
            var target = response.BodyWriter;
            buffer.WrittenSpan.CopyTo(target.GetSpan(buffer.WrittenCount));
            target.Advance(buffer.WrittenCount);
            var flush = target.FlushAsync(httpContext.RequestAborted);
            return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
        }
        finally
        {
            // A reply that failed part-way leaves bytes behind: reset them too.
            if (buffer.Capacity <= KeptBufferBytes)
            {
                buffer.ResetWrittenCount();
                writer?.Reset(buffer);
                t_buffer = buffer;
                t_writer = writer;
                t_writerMadeFor = options;
            }
            else
            {
                writer?.Dispose();
            }
        }
    }

    // As TypedResults.Json does: a value whose type is not the declared one (a list behind IReadOnlyList<T>)
    // is written as its own type, unless the declared type's metadata is polymorphic.
    private static bool IsWrittenAsDeclared(T value, JsonTypeInfo<T> declared)
        => value is null || value.GetType() == typeof(T) || typeof(T).IsSealed || typeof(T).IsValueType || declared.PolymorphismOptions is not null;
}
