using System.Text.Json;

namespace OrleansFlow.Worker.Tests;

public sealed class JobTemplateTests
{
    private static readonly JsonElement ProcessTemplate = JsonDocument.Parse("""
        {"job_configuration": {"command": "{{ command }}", "env": "{{ env }}", "name": "{{ name }}",
                               "stream_output": "{{ stream_output }}", "working_dir": "{{ working_dir }}",
                               "label": "run-{{ name }}-{{ retries }}", "args": ["{{ command }}", "--fast"]},
         "variables": {"type": "object", "properties": {
             "command": {"type": "string"}, "env": {"type": "object"}, "name": {"type": "string", "default": "flow"},
             "stream_output": {"type": "boolean", "default": true}, "working_dir": {"type": "string"},
             "retries": {"type": "integer", "default": 2}}}}
        """).RootElement;

    [Fact]
    public void Render_DefaultsAndOverrides_WholePlaceholdersKeepTheirJsonType()
    {
        var overrides = JsonDocument.Parse("""{"command": "dotnet MyFlows.dll", "env": {"A": "1"}, "stream_output": false}""").RootElement;

        var job = JobTemplate.Render(ProcessTemplate, overrides);

        Assert.Equal("dotnet MyFlows.dll", job["command"]!.GetValue<string>());
        Assert.Equal("1", job["env"]!["A"]!.GetValue<string>());
        Assert.Equal("flow", job["name"]!.GetValue<string>());
        Assert.False(job["stream_output"]!.GetValue<bool>());
        Assert.Null(job["working_dir"]);
        Assert.Equal("run-flow-2", job["label"]!.GetValue<string>());
        Assert.Equal("dotnet MyFlows.dll", job["args"]![0]!.GetValue<string>());
        Assert.Equal("--fast", job["args"]![1]!.GetValue<string>());
    }

    [Fact]
    public void Render_NoTemplate_EmptyConfiguration() =>
        Assert.Empty(JobTemplate.Render(null, null));
}
