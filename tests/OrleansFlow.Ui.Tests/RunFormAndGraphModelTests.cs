using System.Text.Json;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Ui.Rendering;

namespace OrleansFlow.Ui.Tests;

public sealed class RunFormAndGraphModelTests
{
    [Fact]
    public void ParameterForm_PrefectSchema_KindsRequiredDefaultsAndPositionOrder()
    {
        var schema = JsonDocument.Parse("""
            {"title": "Parameters", "type": "object", "required": ["name"],
             "properties": {
               "tags": {"title": "Tags", "type": "array", "items": {"type": "string"}, "position": 3},
               "name": {"title": "Name", "type": "string", "position": 0},
               "count": {"title": "Count", "type": "integer", "default": 3, "position": 1},
               "ratio": {"type": ["number", "null"], "position": 2},
               "color": {"anyOf": [{"$ref": "#/$defs/Color"}, {"type": "null"}], "default": "red", "position": 4},
               "size": {"enum": [1, 2, 3], "position": 5},
               "flag": {"type": "boolean", "default": true, "position": 6}},
             "$defs": {"Color": {"enum": ["red", "blue"], "type": "string"}}}
            """).RootElement;
        var defaults = JsonDocument.Parse("""{"count": 5, "extra": {"a": 1}}""").RootElement;

        var fields = ParameterForm.Fields(schema, defaults);

        Assert.Equal(["name", "count", "ratio", "tags", "color", "size", "flag", "extra"], fields.Select(f => f.Name));
        Assert.Equal(
            [ParameterKind.String, ParameterKind.Integer, ParameterKind.Number, ParameterKind.Json, ParameterKind.Enum, ParameterKind.Enum, ParameterKind.Boolean, ParameterKind.Json],
            fields.Select(f => f.Kind));
        Assert.True(fields[0].Required);
        Assert.False(fields[1].Required);
        Assert.Equal("5", fields[1].DefaultText);
        Assert.Equal("ratio", fields[2].Title);
        Assert.Equal(["red", "blue"], fields[4].Choices.Select(ParameterField.ChoiceLabel));
        Assert.True(fields[4].IsDefault(fields[4].Choices[0]));
        Assert.Equal("1", ParameterField.Canonical(fields[5].Choices[0]));
        Assert.True(fields[6].DefaultChecked);
        Assert.Contains("\"a\": 1", fields[7].DefaultText);
    }

    [Fact]
    public void ParameterForm_SchemaTheSdkDerivesFromAFlowMethod_GetsAnInputPerParameter()
    {
        var method = typeof(RunFormAndGraphModelTests).GetMethod(nameof(SampleFlow), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var schema = System.Text.Json.JsonSerializer.SerializeToElement(OrleansFlow.ParameterSchema.For(method));

        var fields = ParameterForm.Fields(schema, null);

        Assert.Equal(["city", "stations", "options", "days", "ratio", "dryRun", "note"], fields.Select(f => f.Name));
        Assert.Equal(
            [ParameterKind.String, ParameterKind.Json, ParameterKind.Json, ParameterKind.Integer, ParameterKind.Number, ParameterKind.Boolean, ParameterKind.String],
            fields.Select(f => f.Kind));
        Assert.Equal([true, true, true, false, false, false, false], fields.Select(f => f.Required));
        Assert.Equal("7", fields[3].DefaultText);
        Assert.Equal("", fields[4].DefaultText);
    }

    [Fact]
    public void ParameterForm_NoSchema_ListsTheDeploymentsParametersAsJson()
    {
        var fields = ParameterForm.Fields(null, JsonDocument.Parse("""{"x": 1}""").RootElement);

        var field = Assert.Single(fields);
        Assert.Equal(ParameterKind.Json, field.Kind);
        Assert.Equal("1", field.DefaultText);
    }

    [Fact]
    public void TaskGraphLayout_DiamondAndLoneTask_LayersByLongestPathAndCountsEdgesToTasksNotDrawn()
    {
        var a = Task("a");
        var b = Task("b", a.Id);
        var c = Task("c", a.Id);
        var d = Task("d", b.Id, c.Id, Guid.NewGuid());
        var lone = Task("lone");

        var layout = TaskGraphLayout.Build([a, b, c, d, lone]);

        var x = layout.Nodes.ToDictionary(n => n.Task.Name, n => n.X);
        Assert.Equal(x["a"], x["lone"]);
        Assert.True(x["a"] < x["b"]);
        Assert.Equal(x["b"], x["c"]);
        Assert.True(x["c"] < x["d"]);
        Assert.Equal(4, layout.Edges.Count);
        Assert.Equal(1, layout.HiddenEdges);
        Assert.Equal(layout.Nodes.Max(n => n.X) + TaskGraphLayout.NodeWidth + TaskGraphLayout.Margin, layout.Width);
    }

    [Fact]
    public void TaskGraphLayout_Cycle_StillPlacesEveryTask()
    {
        var a = Task("a");
        var b = Task("b", a.Id);
        var cyclic = a with { TaskInputs = Inputs(b.Id) };

        var layout = TaskGraphLayout.Build([cyclic, b]);

        Assert.Equal(2, layout.Nodes.Count);
        Assert.Equal(2, layout.Edges.Count);
    }

    private static int SampleFlow(string city, string[] stations, Dictionary<string, int> options, int days = 7, double? ratio = null,
        bool dryRun = false, string? note = null) => city.Length + stations.Length + options.Count + days + (int)(ratio ?? 0) + (dryRun ? 1 : 0) + (note?.Length ?? 0);

    private static TaskRun Task(string name, params Guid[] upstream) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        FlowRunId = Guid.Empty,
        TaskKey = name,
        DynamicKey = "0",
        TaskInputs = Inputs(upstream),
    };

    private static JsonElement Inputs(params Guid[] upstream) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["x"] = upstream.Select(id => new { input_type = "task_run", id }).ToArray(),
            ["p"] = new[] { new { input_type = "parameter", name = "p" } },
        });
}
