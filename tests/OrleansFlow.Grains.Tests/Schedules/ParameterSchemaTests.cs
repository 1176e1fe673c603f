using System.Text.Json;
using OrleansFlow.Grains.Deployments;

namespace OrleansFlow.Grains.Tests.Schedules;

public sealed class ParameterSchemaTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"title": "Parameters", "type": "object", "required": ["x"],
         "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}, "name": {"type": ["string", "null"]}}}
        """).RootElement;

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void Merge_RunValuesOverDeploymentValues()
    {
        var merged = ParameterSchema.Merge(Json("""{"x": 1, "y": 2}"""), Json("""{"y": 5}"""));

        Assert.Equal(1, merged.GetProperty("x").GetInt32());
        Assert.Equal(5, merged.GetProperty("y").GetInt32());
    }

    [Theory]
    [InlineData("""{"x": 1, "y": 2}""")]
    [InlineData("""{"x": 1, "name": null, "extra": true}""")]
    [InlineData("""{"x": 3.0}""")]
    public void Check_FittingParameters_NoProblem(string parameters) =>
        Assert.Null(ParameterSchema.Check(Json(parameters), Schema));

    [Theory]
    [InlineData("""{"y": 2}""", "x")]
    [InlineData("""{"x": "one"}""", "x")]
    [InlineData("""{"x": 1, "y": 2.5}""", "y")]
    [InlineData("""{"x": 1, "name": 7}""", "name")]
    public void Check_MismatchedParameters_NamesTheParameter(string parameters, string parameter) =>
        Assert.Equal(parameter, ParameterSchema.Check(Json(parameters), Schema)?.Parameter);

    [Fact]
    public void Check_NoSchema_AcceptsAnything() =>
        Assert.Null(ParameterSchema.Check(Json("""{"x": "anything"}"""), null));
}
