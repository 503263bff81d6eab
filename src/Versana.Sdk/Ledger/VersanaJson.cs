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

    private static JsonSerializerOptions Create(JsonUnmappedMemberHandling unmapped)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = unmapped,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            AllowDuplicateProperties = unmapped != JsonUnmappedMemberHandling.Disallow,
        };
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));

        // The wire types from generated metadata; anything else (problem details, a reply of an app's own) by reflection.
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(VersanaWireJsonContext.Default, new DefaultJsonTypeInfoResolver());
        options.MakeReadOnly();
        return options;
    }
}
