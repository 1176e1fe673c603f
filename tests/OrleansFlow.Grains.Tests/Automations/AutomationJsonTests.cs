using System.Text.Json;
using OrleansFlow.Grains.Automations;

namespace OrleansFlow.Grains.Tests.Automations;

public sealed class AutomationJsonTests
{
    private static Automation Parse(string json) =>
        AutomationJson.ParseRequest(JsonDocument.Parse(json).RootElement, create: true, Guid.NewGuid);

    private static AutomationValidationException Invalid(string json) =>
        Assert.Throws<AutomationValidationException>(() => Parse(json));

    private const string Deployment = "00000000-0000-0000-0000-0000000000d1";

    [Fact]
    public void ParseAndWrite_KeepPrefectFieldNames()
    {
        var automation = Parse($$$"""
            {"name": "on failure", "description": "d", "enabled": false, "tags": ["x"],
             "trigger": {"type": "event", "match": {"prefect.resource.id": "prefect.flow-run.*"}, "match_related": {},
                         "after": [], "expect": ["prefect.flow-run.Failed"], "for_each": ["prefect.resource.id"],
                         "posture": "Reactive", "threshold": 3, "within": 60},
             "actions": [{"type": "run-deployment", "source": "selected", "deployment_id": "{{{Deployment}}}", "parameters": {"x": 1}, "job_variables": null},
                         {"type": "pause-work-pool", "source": "inferred"},
                         {"type": "change-flow-run-state", "state": "CANCELLED", "message": "m"},
                         {"type": "send-notification", "block_document_id": "{{{Deployment}}}", "body": "the run failed"},
                         {"type": "call-webhook", "block_document_id": "{{{Deployment}}}", "payload": {"a": 1}},
                         {"type": "do-nothing"}],
             "actions_on_trigger": [], "actions_on_resolve": []}
            """);
        var back = AutomationJson.ParseStored(AutomationJson.Serialize(automation with { Id = Guid.NewGuid() }));
        Assert.Equal("on failure", back.Name);
        Assert.False(back.Enabled);
        var trigger = Assert.IsType<EventTrigger>(back.Trigger);
        Assert.Equal(automation.Trigger.Id, trigger.Id);
        Assert.Equal(TimeSpan.FromSeconds(60), trigger.Within);
        Assert.Equal(3, trigger.Threshold);
        Assert.Equal(["prefect.resource.id"], trigger.ForEach.ToArray());
        Assert.Equal(["run-deployment", "pause-work-pool", "change-flow-run-state", "send-notification", "call-webhook", "do-nothing"],
            back.Actions.Select(a => a.Type));
        Assert.Equal(1, Assert.IsType<RunDeploymentAction>(back.Actions[0]).Parameters!.Value.GetProperty("x").GetInt32());
        Assert.Equal(States.StateType.Cancelled, Assert.IsType<FlowRunStateAction>(back.Actions[2]).State);
        Assert.Equal("""{"a": 1}""", Assert.IsType<CallWebhookAction>(back.Actions[4]).Payload);
        Assert.Equal([$"prefect.deployment.{Deployment}"], back.RelatedResourceIds());
        using var written = JsonDocument.Parse(AutomationJson.Serialize(back));
        Assert.Equal("Reactive", written.RootElement.GetProperty("trigger").GetProperty("posture").GetString());
        Assert.Equal(60, written.RootElement.GetProperty("trigger").GetProperty("within").GetDouble());
    }

    [Fact]
    public void Parse_ProactiveWithoutWithin_GetsTenSeconds()
    {
        var automation = Parse("""{"name": "a", "trigger": {"posture": "Proactive", "expect": ["x"]}, "actions": []}""");
        Assert.Equal(TimeSpan.FromSeconds(10), ((EventTrigger)automation.Trigger).Within);
    }

    [Theory]
    [InlineData("""{"trigger": {"posture": "Reactive"}, "actions": []}""", "name", "field required")]
    [InlineData("""{"name": "", "trigger": {"posture": "Reactive"}, "actions": []}""", "name", "must not be empty")]
    [InlineData("""{"name": "a", "trigger": {"posture": "Reactive", "within": -1}, "actions": []}""", "trigger.within", "greater than or equal to 0")]
    [InlineData("""{"name": "a", "trigger": {"posture": "Proactive", "within": 5}, "actions": []}""", "trigger.within", "10 seconds")]
    [InlineData("""{"name": "a", "trigger": {"posture": "Reactive", "threshold": 0}, "actions": []}""", "trigger.threshold", "at least 1")]
    [InlineData("""{"name": "a", "trigger": {"posture": "Sideways"}, "actions": []}""", "trigger.posture", "unknown posture")]
    [InlineData("""{"name": "a", "trigger": {"type": "metric", "posture": "Reactive"}, "actions": []}""", "trigger.type", "unknown trigger type")]
    [InlineData("""{"name": "a", "trigger": {"type": "compound", "require": 3, "triggers": [{"posture": "Reactive"}]}, "actions": []}""", "trigger.require", "less than or equal")]
    [InlineData("""{"name": "a", "trigger": {"type": "sequence", "triggers": []}, "actions": []}""", "trigger.triggers", "at least one")]
    [InlineData("""{"name": "a", "trigger": {"posture": "Reactive"}, "actions": [{"type": "launch-rocket"}]}""", "actions.0.type", "unknown action type 'launch-rocket'")]
    [InlineData("""{"name": "a", "trigger": {"posture": "Reactive"}, "actions": [{"type": "run-deployment"}]}""", "actions.0.deployment_id", "deployment_id is required")]
    [InlineData("""{"name": "a", "trigger": {"posture": "Reactive"}, "actions": [{"type": "pause-work-queue", "source": "inferred", "work_queue_id": "00000000-0000-0000-0000-000000000001"}]}""", "actions.0.work_queue_id", "not allowed")]
    [InlineData("""{"name": "a", "trigger": {"posture": "Reactive"}, "actions": [{"type": "change-flow-run-state", "state": "DONE"}]}""", "actions.0.state", "unknown state type")]
    [InlineData("""{"name": "a", "trigger": {"posture": "Reactive"}, "actions": [{"type": "send-notification", "block_document_id": "x", "body": "b"}]}""", "actions.0.block_document_id", "valid uuid")]
    [InlineData("""{"name": "a", "trigger": {"posture": "Reactive"}, "actions": [], "colour": "red"}""", "colour", "extra fields")]
    [InlineData("""{"name": "a", "trigger": {"posture": "Reactive", "expect": ["prefect.flow-run.Running"]}, "actions": [{"type": "run-deployment", "source": "inferred"}]}""", "actions.0.source", "infinite loop")]
    public void Parse_InvalidBody_NamesTheField(string json, string path, string message)
    {
        var error = Invalid(json);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseRequest_GivesTriggersFreshIds()
    {
        var json = """{"name": "a", "trigger": {"type": "compound", "require": "any", "id": "00000000-0000-0000-0000-000000000009", "triggers": [{"posture": "Reactive"}]}, "actions": []}""";
        var automation = Parse(json);
        Assert.NotEqual(Guid.Parse("00000000-0000-0000-0000-000000000009"), automation.Trigger.Id);
        Assert.Equal(2, automation.Trigger.All().Select(t => t.Id).Distinct().Count());
    }
}
