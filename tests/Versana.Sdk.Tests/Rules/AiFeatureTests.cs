namespace Versana.Sdk.Tests.Rules;

public sealed class AiFeatureTests
{
    [Fact]
    public void Features_CompareByNameIgnoringCase()
    {
        Assert.Equal(AiFeature.ReplySuggestion, new AiFeature("replysuggestion"));
        Assert.True(AiFeature.TryParse("classification", out var parsed));
        Assert.Equal(AiFeature.Classification, parsed);
        Assert.Equal("Classification", parsed.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    public void InvalidNames_AreRefused(string name)
    {
        Assert.False(AiFeature.TryParse(name, out _));
        Assert.ThrowsAny<ArgumentException>(() => new AiFeature(name));
    }
}
