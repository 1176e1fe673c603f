using System.Text.Json;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Json;

namespace OrleansFlow.Grains.Tests.Events;

public sealed class ResourceSpecificationTests
{
    private static readonly Resource FlowRun = Resource.Of("prefect.flow-run.1234", (Resource.NameLabel, "nightly-etl"), ("prefect.state-type", "FAILED"));

    [Theory]
    [InlineData("""{"prefect.resource.id": "prefect.flow-run.1234"}""", true)]
    [InlineData("""{"prefect.resource.id": "prefect.flow-run.*"}""", true)]
    [InlineData("""{"prefect.resource.id": "prefect.task-run.*"}""", false)]
    [InlineData("""{"prefect.resource.id": ["prefect.task-run.*", "prefect.flow-run.1234"]}""", true)]
    [InlineData("""{"prefect.resource.id": "!prefect.flow-run.1234"}""", false)]
    [InlineData("""{"prefect.resource.id": "!prefect.task-run.*"}""", true)]
    [InlineData("""{"prefect.resource.id": "*", "prefect.state-type": "FAILED"}""", true)]
    [InlineData("""{"prefect.resource.id": "*", "prefect.state-type": "COMPLETED"}""", false)]
    [InlineData("""{"prefect.missing": "!x"}""", false)]
    [InlineData("""{}""", true)]
    public void Matches_FollowsPrefectsLabelRules(string specification, bool matches) =>
        Assert.Equal(matches, JsonSerializer.Deserialize<ResourceSpecification>(specification, OrleansFlowJson.Options)!.Matches(FlowRun));

    [Fact]
    public void Json_ResourceIsAFlatObject_SpecificationKeepsListsAndSingleValues()
    {
        Assert.Equal("""{"prefect.resource.id":"prefect.flow-run.1234","prefect.resource.name":"nightly-etl","prefect.state-type":"FAILED"}""",
            JsonSerializer.Serialize(FlowRun, OrleansFlowJson.Options));
        var text = """{"a":"x","b":["y","z*"]}""";
        Assert.Equal(text, JsonSerializer.Serialize(JsonSerializer.Deserialize<ResourceSpecification>(text, OrleansFlowJson.Options), OrleansFlowJson.Options));
    }

    [Fact]
    public void Json_ALabelThatIsNotAString_IsRefusedWithItsName()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Resource>("""{"prefect.resource.id": 5}""", OrleansFlowJson.Options));
        Assert.Contains("prefect.resource.id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Event_NameIsWrittenAsEvent()
    {
        var json = JsonSerializer.Serialize(new Event { Name = "prefect.flow-run.Failed", Resource = FlowRun, Related = [Resource.Related("prefect.flow.9", "flow", "etl")] },
            OrleansFlowJson.Options);
        Assert.Contains("\"event\":\"prefect.flow-run.Failed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"prefect.resource.role\":\"flow\"", json, StringComparison.Ordinal);
    }
}
