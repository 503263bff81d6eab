using System.Text.Json;

namespace Versana.Sdk.Tests.Features;

public sealed class ClassificationJsonTests
{
    [Fact]
    public void AClassification_IsWrittenWithNames_WithAnyJsonOptions_AndReadBack()
    {
        var classification = new MessageClassification(MessageIntent.Billing, MessageSentiment.Negative, MessagePriority.High, 0.9);

        var json = JsonSerializer.Serialize(classification, JsonSerializerOptions.Web);

        Assert.Equal("""{"intent":"Billing","sentiment":"Negative","priority":"High","confidence":0.9}""", json);
        Assert.Equal(classification, JsonSerializer.Deserialize<MessageClassification>(json, JsonSerializerOptions.Web));
    }
}
