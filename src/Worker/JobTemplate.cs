using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrleansFlow.Worker;

/// <summary>Renders a pool's base job template into the job configuration of one run, as Prefect's workers do: the
/// variables are the defaults of the template's <c>variables</c> schema overlaid with the deployment's job variables
/// (<c>infra_overrides</c>); in <c>job_configuration</c>, a string that is exactly <c>{{ name }}</c> becomes the variable's
/// value (any JSON type, or null when it has none), and placeholders inside longer strings are replaced by the value's
/// text. Rendering is the worker's business (the server only stores the template), so it lives here.</summary>
internal static partial class JobTemplate
{
    /// <summary>The job configuration for a run.</summary>
    /// <param name="baseJobTemplate">The pool's template (<c>job_configuration</c> and <c>variables</c>); null renders <c>{}</c>.</param>
    /// <param name="jobVariables">The deployment's overrides (a JSON object), if any.</param>
    public static JsonObject Render(JsonElement? baseJobTemplate, JsonElement? jobVariables)
    {
        var values = Variables(baseJobTemplate, jobVariables);
        if (baseJobTemplate is not { ValueKind: JsonValueKind.Object } template
            || !template.TryGetProperty("job_configuration", out var configuration)
            || configuration.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return (JsonObject)Substitute(JsonNode.Parse(configuration.GetRawText())!, values)!;
    }

    /// <summary>The variables' values: schema defaults, then the overrides.</summary>
    public static Dictionary<string, JsonNode?> Variables(JsonElement? baseJobTemplate, JsonElement? jobVariables)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (baseJobTemplate is { ValueKind: JsonValueKind.Object } template
            && template.TryGetProperty("variables", out var schema)
            && schema.TryGetProperty("properties", out var properties)
            && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("default", out var value))
                {
                    values[property.Name] = JsonNode.Parse(value.GetRawText());
                }
            }
        }

        if (jobVariables is { ValueKind: JsonValueKind.Object } overrides)
        {
            foreach (var property in overrides.EnumerateObject())
            {
                values[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }

        return values;
    }

    private static JsonNode? Substitute(JsonNode? node, Dictionary<string, JsonNode?> values)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    obj[key] = Substitute(obj[key]?.DeepClone(), values);
                }

                return obj;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => Substitute(item?.DeepClone(), values))]);
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                if (Whole().Match(text) is { Success: true } whole)
                {
                    return values.TryGetValue(whole.Groups[1].Value, out var replacement) ? replacement?.DeepClone() : null;
                }

                return JsonValue.Create(Placeholder().Replace(text, m =>
                    values.TryGetValue(m.Groups[1].Value, out var v) && v is not null
                        ? v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()
                        : ""));
            default:
                return node;
        }
    }

    [GeneratedRegex(@"^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
