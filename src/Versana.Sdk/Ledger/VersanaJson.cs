using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Versana.Sdk;

/// <summary>The JSON shapes of the credits HTTP API, shared by the service and <c>RemoteCreditLedger</c>.</summary>
internal static class VersanaJson
{
    /// <summary>Gets the options replies are written and read with: web names, enums as strings; unknown members are ignored so a newer service can add fields.</summary>
    public static JsonSerializerOptions Wire { get; } = Create(JsonUnmappedMemberHandling.Skip);

    /// <summary>Gets the options request bodies are read with: unknown members and numbers in strings are errors, so a typo is a 400, not a silent default.</summary>
    public static JsonSerializerOptions StrictRequests { get; } = Create(JsonUnmappedMemberHandling.Disallow);

    /// <summary>
    /// Gets the options a value of a wire type is written with: <see cref="Wire"/> without its enum converter.
    /// The converter only refuses numbers when reading (the generated metadata writes enums as strings
    /// already), and any converter in the options keeps System.Text.Json off the generated fast path, which
    /// writes straight from the properties instead of through the metadata's converters.
    /// </summary>
    public static JsonSerializerOptions WireWrites { get; } = Create(JsonUnmappedMemberHandling.Skip, strictEnums: false);

    /// <summary>Gets the options to write a <typeparamref name="T"/> with: <see cref="WireWrites"/> for a wire type, else <see cref="Wire"/>.</summary>
    /// <typeparam name="T">The type written.</typeparam>
    /// <returns>The options.</returns>
    public static JsonSerializerOptions ForWriting<T>() => WriteOptions<T>.Value;

    /// <summary>Gets the options to write a value of <paramref name="type"/> with, as <see cref="ForWriting{T}"/> does.</summary>
    /// <param name="type">The type written.</param>
    /// <returns>The options.</returns>
    public static JsonSerializerOptions ForWriting(Type type) => IsWireType(type) ? WireWrites : Wire;

    // A type outside the context (an app's own reply, problem details) goes by reflection, which writes an enum
    // the context does not know as a string only through the converter.
    // Asked of the wire options' own metadata, which writing looks up (and caches) anyway.
    private static bool IsWireType(Type type) => Wire.GetTypeInfo(type).OriginatingResolver == VersanaWireJsonContext.Default;

    private static JsonSerializerOptions Create(JsonUnmappedMemberHandling unmapped, bool strictEnums = true)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = unmapped,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        if (strictEnums)
        {
            options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        }

        // The wire types from generated metadata; anything else (problem details, a reply of an app's own) by reflection.
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(VersanaWireJsonContext.Default, new DefaultJsonTypeInfoResolver());
        options.MakeReadOnly();
        return options;
    }

    private static class WriteOptions<T>
    {
        public static readonly JsonSerializerOptions Value = IsWireType(typeof(T)) ? WireWrites : Wire;
    }
}
