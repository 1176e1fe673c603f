using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Silo.Blocks;

namespace OrleansFlow.Ui.Rendering;

/// <summary>The fields of a block document's form, generated from its block schema (the JSON schema of the block's
/// fields, as the run form's are from a deployment's parameter schema).</summary>
internal static class BlockForm
{
    /// <summary>The schema's fields, prefilled with <paramref name="data"/> (a stored document's, secrets obfuscated) or
    /// else the schema's defaults; each with whether it is secret. Fields in <paramref name="skip"/> (ones that reference
    /// another block document, which the form does not edit) are left out.</summary>
    public static IReadOnlyList<(ParameterField Field, bool Secret)> Fields(BlockSchema schema, JsonObject? data, IEnumerable<string>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var secret = BlockSecrets.Paths(schema.Fields).Select(p => p[0]).ToHashSet(StringComparer.Ordinal);
        var left = new HashSet<string>(skip ?? [], StringComparer.Ordinal);
        JsonElement? values = data is null ? null : JsonSerializer.SerializeToElement(data);
        return
        [
            .. ParameterForm.Fields(schema.Fields, values)
                .Where(f => !left.Contains(f.Name))
                .Select(f => (f, secret.Contains(f.Name) || (f.Kind == ParameterKind.String && IsPassword(schema.Fields, f.Name)))),
        ];
    }

    /// <summary>A value as the block's page shows it: strings as they are, anything else as JSON.</summary>
    public static string Display(JsonNode? value) => value switch
    {
        null => "—",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
    };

    private static bool IsPassword(JsonElement fields, string name) =>
        fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Object
        && property.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && format.GetString() == "password";
}
