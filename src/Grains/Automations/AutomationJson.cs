using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Json;

namespace OrleansFlow.Grains.Automations;

/// <summary>Reads and writes automations in Prefect 3's wire JSON, validating as Prefect's models do: every failure is
/// an <see cref="AutomationValidationException"/> naming the field.</summary>
public static partial class AutomationJson
{
    private static readonly HashSet<string> BodyFields =
        ["name", "description", "enabled", "tags", "trigger", "actions", "actions_on_trigger", "actions_on_resolve"];

    private static readonly HashSet<string> ReadOnlyFields = ["id", "created", "updated"];

    // Flow-run events every deployment run goes through: a reactive trigger on them that runs the inferred deployment
    // would start a run per run, for ever (Prefect refuses it).
    private static readonly HashSet<string> LoopingEvents =
        ["prefect.flow-run.Scheduled", "prefect.flow-run.Pending", "prefect.flow-run.Running", "prefect.flow-run.*"];

    /// <summary>The least window of a proactive trigger (Prefect's), and the one it gets when 0 is given.</summary>
    public static readonly TimeSpan MinimumProactiveWithin = TimeSpan.FromSeconds(10);

    /// <summary>Reads the body of a create (<paramref name="create"/>: <c>owner_resource</c> allowed) or a replace.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="create">Whether <c>owner_resource</c> is accepted.</param>
    /// <param name="newId">Gives each trigger a fresh id, as Prefect does.</param>
    /// <exception cref="AutomationValidationException">The body does not validate.</exception>
    public static Automation ParseRequest(JsonElement body, bool create, Func<Guid> newId)
    {
        ArgumentNullException.ThrowIfNull(newId);
        var reader = new Reader(newId);
        return reader.Automation(body, create, stored: false);
    }

    /// <summary>Reads an automation written by <see cref="Write"/> (trigger ids kept; <c>id</c>, <c>created</c>,
    /// <c>updated</c> read when present).</summary>
    /// <exception cref="AutomationValidationException">The JSON does not validate.</exception>
    public static Automation ParseStored(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new Reader(null).Automation(document.RootElement, create: true, stored: true);
    }

    /// <summary>Writes <paramref name="automation"/> as Prefect 3 returns it.</summary>
    public static void Write(Utf8JsonWriter writer, Automation automation)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(automation);
        writer.WriteStartObject();
        writer.WriteString("id", automation.Id);
        writer.WriteString("created", Time(automation.Created));
        writer.WriteString("updated", Time(automation.Updated));
        writer.WriteString("name", automation.Name);
        writer.WriteString("description", automation.Description);
        writer.WriteBoolean("enabled", automation.Enabled);
        writer.WriteStartArray("tags");
        foreach (var tag in automation.Tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("trigger");
        WriteTrigger(writer, automation.Trigger);
        WriteActions(writer, "actions", automation.Actions);
        WriteActions(writer, "actions_on_trigger", automation.ActionsOnTrigger);
        WriteActions(writer, "actions_on_resolve", automation.ActionsOnResolve);
        writer.WriteEndObject();
    }

    /// <summary><paramref name="automation"/> as a JSON string (see <see cref="Write"/>).</summary>
    public static string Serialize(Automation automation)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, automation);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes one action as its wire object.</summary>
    public static void WriteAction(Utf8JsonWriter writer, AutomationAction action)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(action);
        writer.WriteStartObject();
        writer.WriteString("type", action.Type);
        switch (action)
        {
            case RunDeploymentAction run:
                writer.WriteString("source", Source(run.Source));
                WriteGuid(writer, "deployment_id", run.DeploymentId);
                WriteElement(writer, "parameters", run.Parameters);
                WriteElement(writer, "job_variables", run.JobVariables);
                writer.WriteNumber("schedule_after", run.ScheduleAfter.TotalSeconds);
                break;
            case TargetedAction targeted:
                writer.WriteString("source", Source(targeted.Source));
                WriteGuid(writer, targeted.IdField, targeted.TargetId);
                break;
            case FlowRunStateAction state when state.Type == "change-flow-run-state":
                writer.WriteString("state", state.State is { } type ? JsonNamingPolicy.SnakeCaseUpper.ConvertName(type.ToString()) : null);
                writer.WriteString("name", state.Name);
                writer.WriteString("message", state.Message);
                writer.WriteBoolean("force", state.Force);
                break;
            case SendNotificationAction notification:
                writer.WriteString("block_document_id", notification.BlockDocumentId);
                writer.WriteString("subject", notification.Subject);
                writer.WriteString("body", notification.Body);
                break;
            case CallWebhookAction webhook:
                writer.WriteString("block_document_id", webhook.BlockDocumentId);
                writer.WriteString("payload", webhook.Payload);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteTrigger(Utf8JsonWriter writer, AutomationTrigger trigger)
    {
        writer.WriteStartObject();
        writer.WriteString("type", trigger.Type);
        writer.WriteString("id", trigger.Id);
        switch (trigger)
        {
            case EventTrigger e:
                writer.WritePropertyName("match");
                JsonSerializer.Serialize(writer, e.Match, OrleansFlowJson.Options);
                writer.WritePropertyName("match_related");
                if (e.MatchRelated.Length == 1)
                {
                    JsonSerializer.Serialize(writer, e.MatchRelated[0], OrleansFlowJson.Options);
                }
                else if (e.MatchRelated.IsDefaultOrEmpty)
                {
                    JsonSerializer.Serialize(writer, ResourceSpecification.Any, OrleansFlowJson.Options);
                }
                else
                {
                    JsonSerializer.Serialize(writer, e.MatchRelated.ToArray(), OrleansFlowJson.Options);
                }

                WriteStrings(writer, "after", e.After);
                WriteStrings(writer, "expect", e.Expect);
                WriteStrings(writer, "for_each", e.ForEach);
                writer.WriteString("posture", e.Posture.ToString());
                writer.WriteNumber("threshold", e.Threshold);
                writer.WriteNumber("within", e.Within.TotalSeconds);
                break;
            case CompositeTrigger c:
                writer.WriteStartArray("triggers");
                foreach (var child in c.Triggers)
                {
                    WriteTrigger(writer, child);
                }

                writer.WriteEndArray();
                if (c is CompoundTrigger compound)
                {
                    if (int.TryParse(compound.Require, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    {
                        writer.WriteNumber("require", n);
                    }
                    else
                    {
                        writer.WriteString("require", compound.Require);
                    }
                }

                if (c.Within is { } within)
                {
                    writer.WriteNumber("within", within.TotalSeconds);
                }
                else
                {
                    writer.WriteNull("within");
                }

                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteActions(Utf8JsonWriter writer, string name, ImmutableArray<AutomationAction> actions)
    {
        writer.WriteStartArray(name);
        foreach (var action in actions.IsDefault ? [] : actions)
        {
            WriteAction(writer, action);
        }

        writer.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, ImmutableArray<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values.IsDefault ? [] : values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteGuid(Utf8JsonWriter writer, string name, Guid? value)
    {
        if (value is { } id)
        {
            writer.WriteString(name, id);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteElement(Utf8JsonWriter writer, string name, JsonElement? value)
    {
        writer.WritePropertyName(name);
        if (value is { } element)
        {
            element.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static string Source(ActionSource source) => source == ActionSource.Inferred ? "inferred" : "selected";

    private static string Time(DateTimeOffset time) =>
        UtcTimeText.Sortable(time);
}
