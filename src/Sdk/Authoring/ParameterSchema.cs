using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace OrleansFlow;

/// <summary>The JSON schema of a flow's parameters, derived from its method signature in the shape Prefect stores as a
/// deployment's <c>parameter_openapi_schema</c>: <c>{"title": "Parameters", "type": "object", "properties": {...},
/// "required": [...]}</c>, each property with its <c>title</c>, <c>position</c>, JSON type and <c>default</c>.</summary>
public static class ParameterSchema
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };
    private static readonly JsonSchemaExporterOptions Exporter = new() { TreatNullObliviousAsNonNullable = true };

    /// <summary>The schema a deployment of the flow <paramref name="method"/> stores: <see cref="For"/> without the
    /// <see cref="CancellationToken"/> parameters (the process running the flow passes the run's token), and with
    /// <c>additionalProperties: false</c> since the method takes no others, so the server refuses a run with an unknown
    /// parameter (422 naming it).</summary>
    public static JsonObject ForDeployment(MethodInfo method)
    {
        var schema = For(method);
        schema["additionalProperties"] = false;
        var tokens = method.GetParameters().Where(p => p.ParameterType == typeof(CancellationToken)).Select(p => p.Name ?? "").ToHashSet();
        if (tokens.Count > 0 && schema["properties"] is JsonObject properties)
        {
            foreach (var token in tokens)
            {
                properties.Remove(token);
            }

            if (schema["required"] is JsonArray required)
            {
                foreach (var item in required.Where(r => tokens.Contains(r!.GetValue<string>())).ToArray())
                {
                    required.Remove(item);
                }

                if (required.Count == 0)
                {
                    schema.Remove("required");
                }
            }
        }

        return schema;
    }

    /// <summary>The schema of <paramref name="method"/>'s parameters (a new object on every call).</summary>
    public static JsonObject For(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var parameter in method.GetParameters())
        {
            var name = parameter.Name ?? $"arg{parameter.Position}";
            var schema = JsonSchemaExporter.GetJsonSchemaAsNode(Options, parameter.ParameterType, Exporter) as JsonObject ?? [];
            schema.Insert(0, "title", name);
            schema.Insert(1, "position", parameter.Position);
            if (parameter.HasDefaultValue)
            {
                schema["default"] = JsonSerializer.SerializeToNode(parameter.DefaultValue, Options);
            }
            else
            {
                required.Add(name);
            }

            properties[name] = schema;
        }

        var result = new JsonObject { ["title"] = "Parameters", ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0)
        {
            result["required"] = required;
        }

        return result;
    }
}
