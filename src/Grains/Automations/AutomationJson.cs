using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Json;
using OrleansFlow.Grains.States;

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
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads a window: seconds as a number, or an ISO 8601 duration (<c>PT30S</c>).</summary>
    private static TimeSpan? Seconds(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number:
                var seconds = value.GetDouble();
                return double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds / 2
                    ? TimeSpan.FromSeconds(seconds)
                    : throw new AutomationValidationException(path, "value is not a valid duration");
            case JsonValueKind.String:
                try
                {
                    return XmlConvert.ToTimeSpan(value.GetString()!);
                }
                catch (FormatException)
                {
                    throw new AutomationValidationException(path, "value is not a valid duration (seconds, or ISO 8601 like PT30S)");
                }

            default:
                throw new AutomationValidationException(path, "value is not a valid duration (seconds, or ISO 8601 like PT30S)");
        }
    }

    private sealed class Reader(Func<Guid>? newId)
    {
        public Automation Automation(JsonElement body, bool create, bool stored)
        {
            if (body.ValueKind != JsonValueKind.Object)
            {
                throw new AutomationValidationException("", "an automation must be a JSON object");
            }

            foreach (var property in body.EnumerateObject())
            {
                var known = BodyFields.Contains(property.Name) || (create && property.Name == "owner_resource") || (stored && ReadOnlyFields.Contains(property.Name));
                if (!known)
                {
                    throw new AutomationValidationException(property.Name, "extra fields not permitted");
                }
            }

            var name = String(Required(body, "name", ""), "name");
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new AutomationValidationException("name", "must not be empty");
            }

            var automation = new Automation
            {
                Id = stored && body.TryGetProperty("id", out var id) ? Guid(id, "id") : System.Guid.Empty,
                Created = stored && body.TryGetProperty("created", out var created) ? created.GetDateTimeOffset() : default,
                Updated = stored && body.TryGetProperty("updated", out var updated) ? updated.GetDateTimeOffset() : default,
                Name = name,
                Description = Optional(body, "description") is { } description ? String(description, "description") : "",
                Enabled = Optional(body, "enabled") is not { } enabled || Bool(enabled, "enabled"),
                Tags = Optional(body, "tags") is { } tags ? Strings(tags, "tags") : [],
                Trigger = Trigger(Required(body, "trigger", ""), "trigger"),
                Actions = Actions(Required(body, "actions", ""), "actions"),
                ActionsOnTrigger = Optional(body, "actions_on_trigger") is { } onTrigger ? Actions(onTrigger, "actions_on_trigger") : [],
                ActionsOnResolve = Optional(body, "actions_on_resolve") is { } onResolve ? Actions(onResolve, "actions_on_resolve") : [],
                OwnerResource = create && Optional(body, "owner_resource") is { } owner ? String(owner, "owner_resource") : null,
            };
            PreventRunDeploymentLoops(automation);
            return automation;
        }

        private Guid TriggerId(JsonElement trigger, string path) =>
            newId is not null ? newId() : Guid(Required(trigger, "id", path), Join(path, "id"));

        private AutomationTrigger Trigger(JsonElement trigger, string path)
        {
            if (trigger.ValueKind != JsonValueKind.Object)
            {
                throw new AutomationValidationException(path, "a trigger must be a JSON object");
            }

            var type = Optional(trigger, "type") is { } t ? String(t, Join(path, "type")) : "event";
            return type switch
            {
                "event" => EventTrigger(trigger, path),
                "compound" => Compound(trigger, path),
                "sequence" => new SequenceTrigger { Id = TriggerId(trigger, path), Triggers = Children(trigger, path), Within = Window(trigger, path) },
                _ => throw new AutomationValidationException(Join(path, "type"),
                    $"unknown trigger type '{type}'; permitted: 'event', 'compound', 'sequence'"),
            };
        }

        private CompoundTrigger Compound(JsonElement trigger, string path)
        {
            var children = Children(trigger, path);
            var requirePath = Join(path, "require");
            var value = Required(trigger, "require", path);
            string require;
            if (value.ValueKind == JsonValueKind.Number)
            {
                if (!value.TryGetInt32(out var n))
                {
                    throw new AutomationValidationException(requirePath, "value is not a valid integer");
                }

                if (n < 1)
                {
                    throw new AutomationValidationException(requirePath, "require must be at least 1");
                }

                if (n > children.Length)
                {
                    throw new AutomationValidationException(requirePath, "require must be less than or equal to the number of triggers");
                }

                require = n.ToString(CultureInfo.InvariantCulture);
            }
            else if (value.ValueKind == JsonValueKind.String && value.GetString() is "any" or "all")
            {
                require = value.GetString()!;
            }
            else
            {
                throw new AutomationValidationException(requirePath, "require must be 'any', 'all' or a number of triggers");
            }

            return new CompoundTrigger { Id = TriggerId(trigger, path), Triggers = children, Require = require, Within = Window(trigger, path) };
        }

        private ImmutableArray<AutomationTrigger> Children(JsonElement trigger, string path)
        {
            var at = Join(path, "triggers");
            var list = Required(trigger, "triggers", path);
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new AutomationValidationException(at, "value is not a valid list");
            }

            var children = list.EnumerateArray().Select((child, i) => Trigger(child, Join(at, i))).ToImmutableArray();
            return children.Length == 0 ? throw new AutomationValidationException(at, "a composite trigger needs at least one trigger") : children;
        }

        private static TimeSpan? Window(JsonElement trigger, string path)
        {
            var at = Join(path, "within");
            if (Optional(trigger, "within") is not { } value || Seconds(value, at) is not { } within)
            {
                return null;
            }

            return within < TimeSpan.Zero ? throw new AutomationValidationException(at, "within must be greater than or equal to 0 seconds") : within;
        }

        private EventTrigger EventTrigger(JsonElement trigger, string path)
        {
            var posturePath = Join(path, "posture");
            var postureText = String(Required(trigger, "posture", path), posturePath);
            var posture = postureText switch
            {
                "Reactive" => Posture.Reactive,
                "Proactive" => Posture.Proactive,
                "Metric" => throw new AutomationValidationException(posturePath, "Metric triggers are not supported; permitted: 'Reactive', 'Proactive'"),
                _ => throw new AutomationValidationException(posturePath, $"unknown posture '{postureText}'; permitted: 'Reactive', 'Proactive'"),
            };
            var withinPath = Join(path, "within");
            TimeSpan within;
            if (Optional(trigger, "within") is { } w)
            {
                within = Seconds(w, withinPath) ?? throw new AutomationValidationException(withinPath, "within should be a valid duration, not null");
            }
            else
            {
                within = TimeSpan.Zero;
            }

            if (within < TimeSpan.Zero)
            {
                throw new AutomationValidationException(withinPath, "within must be greater than or equal to 0 seconds");
            }

            if (posture == Posture.Proactive)
            {
                if (within == TimeSpan.Zero)
                {
                    within = MinimumProactiveWithin;
                }
                else if (within < MinimumProactiveWithin)
                {
                    throw new AutomationValidationException(withinPath, "within for Proactive triggers must be greater than or equal to 10 seconds");
                }
            }

            var threshold = 1;
            if (Optional(trigger, "threshold") is { } t)
            {
                if (t.ValueKind != JsonValueKind.Number || !t.TryGetInt32(out threshold))
                {
                    throw new AutomationValidationException(Join(path, "threshold"), "value is not a valid integer");
                }

                if (threshold < 1)
                {
                    throw new AutomationValidationException(Join(path, "threshold"), "threshold must be at least 1");
                }
            }

            return new EventTrigger
            {
                Id = TriggerId(trigger, path),
                Match = Optional(trigger, "match") is { } match ? Specification(match, Join(path, "match")) : ResourceSpecification.Any,
                MatchRelated = Optional(trigger, "match_related") is { } related ? Related(related, Join(path, "match_related")) : [],
                After = Optional(trigger, "after") is { } after ? Distinct(Strings(after, Join(path, "after"))) : [],
                Expect = Optional(trigger, "expect") is { } expect ? Distinct(Strings(expect, Join(path, "expect"))) : [],
                ForEach = Optional(trigger, "for_each") is { } forEach ? Distinct(Strings(forEach, Join(path, "for_each"))) : [],
                Posture = posture,
                Threshold = threshold,
                Within = within,
            };
        }

        private static ImmutableArray<string> Distinct(ImmutableArray<string> values) => [.. values.Distinct(StringComparer.Ordinal)];

        private static ResourceSpecification Specification(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new AutomationValidationException(path, "a resource specification is an object of labels to a string or a list of strings");
            }

            try
            {
                return value.Deserialize<ResourceSpecification>(OrleansFlowJson.Options)!;
            }
            catch (JsonException ex)
            {
                throw new AutomationValidationException(path, ex.Message);
            }
        }

        private static ImmutableArray<ResourceSpecification> Related(JsonElement value, string path)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                return [.. value.EnumerateArray().Select((v, i) => Specification(v, Join(path, i))).Where(s => !s.IsEmpty)];
            }

            var one = Specification(value, path);
            return one.IsEmpty ? [] : [one];
        }

        private static ImmutableArray<AutomationAction> Actions(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw new AutomationValidationException(path, "value is not a valid list");
            }

            return [.. value.EnumerateArray().Select((v, i) => Action(v, Join(path, i)))];
        }

        private static AutomationAction Action(JsonElement action, string path)
        {
            if (action.ValueKind != JsonValueKind.Object)
            {
                throw new AutomationValidationException(path, "an action must be a JSON object");
            }

            var type = String(Required(action, "type", path), Join(path, "type"));
            if (TargetedAction.IdFields.TryGetValue(type, out var idField))
            {
                var (source, target) = Target(action, path, idField);
                return new TargetedAction { ActionType = type, Source = source, TargetId = target };
            }

            switch (type)
            {
                case "do-nothing":
                    return new DoNothingAction();
                case "run-deployment":
                {
                    var (source, deployment) = Target(action, path, "deployment_id");
                    var after = Optional(action, "schedule_after") is { } s ? Seconds(s, Join(path, "schedule_after")) ?? TimeSpan.Zero : TimeSpan.Zero;
                    return new RunDeploymentAction
                    {
                        Source = source,
                        DeploymentId = deployment,
                        Parameters = ObjectOrNull(action, "parameters", path),
                        JobVariables = ObjectOrNull(action, "job_variables", path),
                        ScheduleAfter = after < TimeSpan.Zero
                            ? throw new AutomationValidationException(Join(path, "schedule_after"), "schedule_after must be greater than or equal to 0 seconds")
                            : after,
                    };
                }

                case "cancel-flow-run" or "suspend-flow-run":
                    return new FlowRunStateAction { ActionType = type };
                case "change-flow-run-state":
                {
                    var statePath = Join(path, "state");
                    var stateText = String(Required(action, "state", path), statePath);
                    var state = Enum.GetValues<StateType>().FirstOrDefault(s => JsonNamingPolicy.SnakeCaseUpper.ConvertName(s.ToString()) == stateText, (StateType)(-1));
                    if ((int)state == -1)
                    {
                        throw new AutomationValidationException(statePath, $"unknown state type '{stateText}'");
                    }

                    return new FlowRunStateAction
                    {
                        ActionType = type,
                        State = state,
                        Name = Optional(action, "name") is { ValueKind: not JsonValueKind.Null } n ? String(n, Join(path, "name")) : null,
                        Message = Optional(action, "message") is { ValueKind: not JsonValueKind.Null } m ? String(m, Join(path, "message")) : null,
                        Force = Optional(action, "force") is { } f && Bool(f, Join(path, "force")),
                    };
                }

                case "send-notification":
                    return new SendNotificationAction
                    {
                        BlockDocumentId = Guid(Required(action, "block_document_id", path), Join(path, "block_document_id")),
                        Subject = Optional(action, "subject") is { } subject ? String(subject, Join(path, "subject")) : "Prefect automated notification",
                        Body = String(Required(action, "body", path), Join(path, "body")),
                    };
                case "call-webhook":
                    return new CallWebhookAction
                    {
                        BlockDocumentId = Guid(Required(action, "block_document_id", path), Join(path, "block_document_id")),
                        Payload = Optional(action, "payload") switch
                        {
                            null or { ValueKind: JsonValueKind.Null } => "",
                            { ValueKind: JsonValueKind.String } p => p.GetString()!,
                            // Prefect takes a dictionary too, and keeps it as its JSON text.
                            { ValueKind: JsonValueKind.Object } p => p.GetRawText(),
                            _ => throw new AutomationValidationException(Join(path, "payload"), "str type expected"),
                        },
                    };
                default:
                    throw new AutomationValidationException(Join(path, "type"), $"unknown action type '{type}'");
            }
        }

        private static (ActionSource Source, Guid? Id) Target(JsonElement action, string path, string idField)
        {
            var sourcePath = Join(path, "source");
            var source = Optional(action, "source") is { } s
                ? String(s, sourcePath) switch
                {
                    "selected" => ActionSource.Selected,
                    "inferred" => ActionSource.Inferred,
                    var other => throw new AutomationValidationException(sourcePath, $"unknown source '{other}'; permitted: 'selected', 'inferred'"),
                }
                : ActionSource.Selected;
            Guid? id = Optional(action, idField) is { ValueKind: not JsonValueKind.Null } value ? Guid(value, Join(path, idField)) : null;
            if (source == ActionSource.Selected && id is null)
            {
                throw new AutomationValidationException(Join(path, idField), $"{idField} is required");
            }

            if (source == ActionSource.Inferred && id is not null)
            {
                throw new AutomationValidationException(Join(path, idField), $"{idField} is not allowed");
            }

            return (source, id);
        }

        private static JsonElement? ObjectOrNull(JsonElement action, string name, string path) => Optional(action, name) switch
        {
            null or { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.Object } value => value.Clone(),
            _ => throw new AutomationValidationException(Join(path, name), "value is not a valid dict"),
        };

        private static void PreventRunDeploymentLoops(Automation automation)
        {
            if (!automation.Enabled || automation.Trigger is not EventTrigger { Posture: Posture.Reactive } trigger
                || !trigger.Expect.Any(LoopingEvents.Contains))
            {
                return;
            }

            for (var i = 0; i < automation.Actions.Length; i++)
            {
                if (automation.Actions[i] is RunDeploymentAction { Source: ActionSource.Inferred })
                {
                    throw new AutomationValidationException($"actions.{i}.source",
                        "Running an inferred deployment from a flow run state change event will lead to an infinite loop of flow runs. "
                        + "Please choose a specific deployment and add additional filtering labels to the match or match_related for this automation's trigger.");
                }
            }
        }
    }

    private static JsonElement? Optional(JsonElement body, string name) => body.TryGetProperty(name, out var value) ? value : null;

    private static JsonElement Required(JsonElement body, string name, string path) =>
        body.TryGetProperty(name, out var value) ? value : throw new AutomationValidationException(Join(path, name), "field required");

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Join(string path, int index) => $"{path}.{index.ToString(CultureInfo.InvariantCulture)}";

    private static string String(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new AutomationValidationException(path, "str type expected");

    private static bool Bool(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new AutomationValidationException(path, "value could not be parsed to a boolean"),
    };

    private static Guid Guid(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String && System.Guid.TryParse(value.GetString(), out var id)
            ? id
            : throw new AutomationValidationException(path, "value is not a valid uuid");

    private static ImmutableArray<string> Strings(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new AutomationValidationException(path, "value is not a valid list");
        }

        return [.. value.EnumerateArray().Select((v, i) => String(v, Join(path, i)))];
    }
}

/// <summary>Writes an <see cref="Automation"/> with <see cref="AutomationJson.Write"/> (reading goes through
/// <see cref="AutomationJson.ParseStored"/>).</summary>
public sealed class AutomationJsonConverter : JsonConverter<Automation>
{
    /// <inheritdoc/>
    public override Automation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        try
        {
            return AutomationJson.ParseStored(document.RootElement.GetRawText());
        }
        catch (AutomationValidationException ex)
        {
            throw new JsonException($"{ex.Path}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Automation value, JsonSerializerOptions options) => AutomationJson.Write(writer, value);
}
