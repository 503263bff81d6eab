using System.Text.Json;
using System.Text.Json.Serialization;

namespace Versana.Sdk;

/// <summary>Writes an <see cref="AiFeature"/> as its name.</summary>
internal sealed class AiFeatureJsonConverter : JsonConverter<AiFeature>
{
    public override AiFeature Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.GetString();
        return AiFeature.TryParse(name, out var feature)
            ? feature
            : throw new JsonException($"'{name}' is not a valid AI feature name.");
    }

    public override void Write(Utf8JsonWriter writer, AiFeature value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.Name);
}
