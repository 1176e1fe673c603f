using System.Collections.Immutable;
using System.Text.Json;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.Automations;

public static partial class AutomationJson
{
    private sealed partial class Reader
    {
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
}
