using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Json;

namespace OrleansFlow.Grains.Automations;

public static partial class AutomationJson
{
    /// <summary>Reads an automation and its triggers; its actions are read in the other part.</summary>
    private sealed partial class Reader(Func<Guid>? newId)
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
    }
}
