using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Ui.Rendering;

/// <summary>Builds Prefect filter bodies for the Silo's query classes.</summary>
internal static class Filters
{
    /// <summary>A one-operator field condition: <c>{"field": {"op": value}}</c>.</summary>
    public static (string Field, JsonNode Condition) Field(string field, string op, JsonNode value) => (field, new JsonObject { [op] = value });

    /// <summary>A body with one section holding the given field conditions.</summary>
    public static JsonElement Body(params (string Section, (string Field, JsonNode Condition) Condition)[] conditions)
    {
        var body = new JsonObject();
        foreach (var (section, (field, condition)) in conditions)
        {
            if (body[section] is not JsonObject entity)
            {
                entity = [];
                body[section] = entity;
            }

            entity[field] = condition;
        }

        return JsonSerializer.SerializeToElement(body);
    }

    /// <summary>The body with a sort and a limit.</summary>
    public static JsonElement Paged(JsonElement body, string? sort, int limit, int offset = 0)
    {
        var node = JsonNode.Parse(body.GetRawText())!.AsObject();
        if (sort is not null)
        {
            node["sort"] = sort;
        }

        node["limit"] = limit;
        node["offset"] = offset;
        return JsonSerializer.SerializeToElement(node);
    }

    public static JsonElement Empty { get; } = JsonSerializer.SerializeToElement(new JsonObject());
}
