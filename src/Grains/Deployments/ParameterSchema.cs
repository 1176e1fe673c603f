using System.Text.Json;

namespace OrleansFlow.Grains.Deployments;

/// <summary>Checks run parameters against a deployment's <c>parameter_openapi_schema</c> (the subset of JSON schema
/// Prefect generates: top-level <c>properties</c> with <c>type</c>, <c>required</c>, <c>additionalProperties</c>).</summary>
public static class ParameterSchema
{
    /// <summary>The deployment's parameters overlaid with the run's own (run values win).</summary>
    public static JsonElement Merge(JsonElement? defaults, JsonElement? overrides)
    {
        var merged = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var source in new[] { defaults, overrides })
        {
            if (source is { ValueKind: JsonValueKind.Object } value)
            {
                foreach (var property in value.EnumerateObject())
                {
                    merged[property.Name] = property.Value;
                }
            }
        }

        return JsonSerializer.SerializeToElement(merged);
    }

    /// <summary>The first problem of <paramref name="parameters"/> under <paramref name="schema"/>: the parameter's name
    /// and why; null when they fit (or there is no schema).</summary>
    public static (string Parameter, string Reason)? Check(JsonElement parameters, JsonElement? schema)
    {
        if (schema is not { ValueKind: JsonValueKind.Object } root || parameters.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var properties = root.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        if (root.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!))
            {
                if (!parameters.TryGetProperty(name, out _))
                {
                    return (name, "field required");
                }
            }
        }

        var closed = root.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False;
        foreach (var parameter in parameters.EnumerateObject())
        {
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(parameter.Name, out var property))
            {
                if (closed)
                {
                    return (parameter.Name, "extra parameters not permitted");
                }

                continue;
            }

            if (property.ValueKind == JsonValueKind.Object && property.TryGetProperty("type", out var type)
                && !Fits(parameter.Value, type))
            {
                return (parameter.Name, $"value is not a valid {Describe(type)}");
            }
        }

        return null;
    }

    private static bool Fits(JsonElement value, JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => FitsType(value, type.GetString()!),
        JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && FitsType(value, t.GetString()!)),
        _ => true,
    };

    private static bool FitsType(JsonElement value, string type) => type switch
    {
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && d == decimal.Truncate(d),
        "number" => value.ValueKind == JsonValueKind.Number,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Describe(JsonElement type) =>
        type.ValueKind == JsonValueKind.String ? type.GetString()! : string.Join(" or ", type.EnumerateArray().Select(t => t.ToString()));
}
