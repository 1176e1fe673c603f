using System.Text.Json;
using OrleansFlow.Gateway.Api;

namespace OrleansFlow.Gateway.FlowRuns;

/// <summary>Checks shared by run requests.</summary>
internal static class JsonChecks
{
    public static JsonElement? Object(JsonElement? value, string field) => value switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Object } => value,
        _ => throw ApiValidationException.Field(field, "value is not a valid dict", "type_error.dict"),
    };
}
