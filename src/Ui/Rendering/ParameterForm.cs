using System.Text.Json;

namespace OrleansFlow.Ui.Rendering;

/// <summary>Turns a deployment's <c>parameter_openapi_schema</c> (the JSON schema Prefect and the SDK generate: top-level
/// <c>properties</c>, <c>required</c>, enums inline or behind <c>$ref</c> / <c>allOf</c> / <c>anyOf</c> into
/// <c>definitions</c> or <c>$defs</c>) into run-form fields, prefilled with the deployment's parameters.</summary>
internal static class ParameterForm
{
    /// <summary>The fields, in the schema's <c>position</c> order (else its property order), then any deployment
    /// parameter the schema does not describe (as JSON).</summary>
    public static IReadOnlyList<ParameterField> Fields(JsonElement? schema, JsonElement? defaults)
    {
        var fields = new List<(ParameterField Field, double Position)>();
        var given = defaults is { ValueKind: JsonValueKind.Object } d ? d : default;
        var root = schema is { ValueKind: JsonValueKind.Object } s ? s : default;
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array)
        {
            required.UnionWith(r.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!));
        }

        var described = new HashSet<string>(StringComparer.Ordinal);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            var order = 0;
            foreach (var property in properties.EnumerateObject())
            {
                described.Add(property.Name);
                var raw = property.Value.ValueKind == JsonValueKind.Object ? property.Value : default;
                var resolved = Resolve(root, raw);
                var (kind, choices) = KindOf(root, raw, resolved);
                JsonElement? value = given.ValueKind == JsonValueKind.Object && given.TryGetProperty(property.Name, out var g) ? g.Clone()
                    : Lookup(raw, "default") ?? Lookup(resolved, "default");
                var position = Lookup(raw, "position") is { ValueKind: JsonValueKind.Number } p ? p.GetDouble() : 1_000_000 + order;
                fields.Add((new ParameterField(property.Name, Text(raw, "title") ?? Text(resolved, "title") ?? property.Name,
                    Text(raw, "description") ?? Text(resolved, "description"), kind, required.Contains(property.Name), value, choices), position));
                order++;
            }
        }

        var result = fields.OrderBy(f => f.Position).Select(f => f.Field).ToList();
        if (given.ValueKind == JsonValueKind.Object)
        {
            result.AddRange(given.EnumerateObject().Where(p => !described.Contains(p.Name))
                .Select(p => new ParameterField(p.Name, p.Name, null, ParameterKind.Json, false, p.Value.Clone(), [])));
        }

        return result;
    }

    private static (ParameterKind Kind, IReadOnlyList<JsonElement> Choices) KindOf(JsonElement root, JsonElement raw, JsonElement resolved)
    {
        foreach (var candidate in new[] { raw, resolved })
        {
            if (Lookup(candidate, "enum") is { ValueKind: JsonValueKind.Array } values && values.GetArrayLength() > 0)
            {
                return (ParameterKind.Enum, [.. values.EnumerateArray().Select(v => v.Clone())]);
            }
        }

        var type = TypeName(resolved) ?? TypeName(raw);
        if (type is null && Lookup(raw, "anyOf") is { ValueKind: JsonValueKind.Array } anyOf)
        {
            // Optional[X]: anyOf [X, {"type": "null"}]; an enum behind a $ref inside it is still an enum.
            var options = anyOf.EnumerateArray().Select(o => Resolve(root, o)).Where(o => TypeName(o) != "null").ToList();
            if (options.Count == 1)
            {
                return KindOf(root, options[0], options[0]);
            }

            // Union[str, Path] and the like: options of one type (told apart by format only) are that type.
            if (options.Count > 1 && options.Select(TypeName).Distinct().ToList() is [{ } same] && same != "object" && same != "array")
            {
                return KindOf(root, options[0], options[0]);
            }
        }

        return type switch
        {
            "string" => (ParameterKind.String, []),
            "integer" => (ParameterKind.Integer, []),
            "number" => (ParameterKind.Number, []),
            "boolean" => (ParameterKind.Boolean, []),
            _ => (ParameterKind.Json, []),
        };
    }

    /// <summary>The type's name; of a list of types, the one that is not <c>null</c> when there is exactly one.</summary>
    private static string? TypeName(JsonElement schema) => Lookup(schema, "type") switch
    {
        { ValueKind: JsonValueKind.String } t => t.GetString(),
        { ValueKind: JsonValueKind.Array } types when types.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String && t.GetString() != "null").ToList() is [var one]
            => one.GetString(),
        _ => null,
    };

    /// <summary>Follows <c>$ref</c> (also the single entry of <c>allOf</c>) to <c>#/definitions/X</c> or <c>#/$defs/X</c>.</summary>
    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        for (var depth = 0; depth < 8 && schema.ValueKind == JsonValueKind.Object; depth++)
        {
            if (Lookup(schema, "allOf") is { ValueKind: JsonValueKind.Array } allOf && allOf.GetArrayLength() == 1)
            {
                schema = allOf[0];
                continue;
            }

            if (Text(schema, "$ref") is not { } reference)
            {
                break;
            }

            var parts = reference.Split('/');
            if (parts is not ["#", var section, var name] || root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(section, out var definitions) || definitions.ValueKind != JsonValueKind.Object
                || !definitions.TryGetProperty(name, out var target))
            {
                break;
            }

            schema = target;
        }

        return schema;
    }

    private static JsonElement? Lookup(JsonElement schema, string name) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement schema, string name) => Lookup(schema, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
}
