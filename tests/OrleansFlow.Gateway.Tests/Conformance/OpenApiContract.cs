using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansFlow.Gateway.Tests.Conformance;

/// <summary>The real Prefect server's OpenAPI schema (<c>tests/fixtures/prefect-api/openapi.json</c>): its operations,
/// request bodies built from the schemas, and a check of answers against the response schemas.</summary>
internal sealed class OpenApiContract(JsonObject document)
{
    private readonly JsonObject _schemas = document["components"]!["schemas"]!.AsObject();

    public static OpenApiContract Load() =>
        new(JsonNode.Parse(File.ReadAllText(Path.Combine(Contract.Scenario.FixtureDirectory(), "openapi.json")))!.AsObject());

    /// <summary>Every operation: method, path template (without <c>/api</c>), request body schema (null when none).</summary>
    public IEnumerable<Operation> Operations()
    {
        foreach (var (path, methods) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in methods!.AsObject())
            {
                var body = operation!["requestBody"]?["content"]?["application/json"]?["schema"];
                yield return new Operation(method.ToUpperInvariant(), path, body, operation["requestBody"]?["required"]?.GetValue<bool>() ?? false,
                    operation["responses"]!.AsObject());
            }
        }
    }

    /// <summary>The schema a <c>$ref</c> (or an <c>allOf</c> of one) points to; other schemas as they are.</summary>
    public JsonObject Resolve(JsonNode schema)
    {
        var node = schema.AsObject();
        for (var i = 0; i < 10; i++)
        {
            if (node["$ref"] is { } reference)
            {
                node = _schemas[reference.GetValue<string>().Split('/')[^1]]!.AsObject();
            }
            else if (node["allOf"] is JsonArray { Count: 1 } all)
            {
                node = all[0]!.AsObject();
            }
            else
            {
                break;
            }
        }

        return node;
    }

    /// <summary>A body: with <paramref name="maximal"/> every property is present (its default, else null, else a
    /// value for a required one); otherwise only the required properties. <paramref name="value"/> gives values for
    /// fields it knows by name (ids of existing things, names).</summary>
    public JsonNode? Body(JsonNode schema, bool maximal, Func<string, JsonObject, JsonNode?> value, string field = "body", int depth = 0)
    {
        var resolved = Resolve(schema);
        if (depth > 6)
        {
            return null;
        }

        if (resolved["enum"] is JsonArray options)
        {
            return options[0]!.DeepClone();
        }

        var type = resolved["type"]?.GetValue<string>() ?? (resolved["properties"] is not null ? "object" : null);
        switch (type)
        {
            case "object":
                var body = new JsonObject();
                var required = Required(resolved);
                foreach (var (name, property) in resolved["properties"]?.AsObject() ?? [])
                {
                    var propertySchema = property!.AsObject();
                    if (required.Contains(name))
                    {
                        body[name] = value(name, Resolve(propertySchema)) ?? Body(propertySchema, maximal, value, name, depth + 1);
                    }
                    else if (maximal)
                    {
                        body[name] = propertySchema["default"]?.DeepClone();
                    }
                }

                return body;
            case "array":
                return new JsonArray();
            case "string":
                return value(field, resolved) ?? (resolved["format"]?.GetValue<string>() switch
                {
                    "date-time" => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                    "uuid" => Guid.NewGuid().ToString(),
                    _ => "conf" + Guid.NewGuid().ToString("N")[..10],
                });
            case "integer":
                return resolved["minimum"]?.GetValue<int>() ?? 1;
            case "number":
                return 1.0;
            case "boolean":
                return false;
            default:
                return null;
        }
    }

    /// <summary>What in <paramref name="answer"/> contradicts <paramref name="schema"/>: a required field missing or null,
    /// or a present field of the wrong JSON type (recursively, the first items of lists).</summary>
    public void Check(JsonNode? answer, JsonNode schema, string at, List<string> problems, int depth = 0)
    {
        var resolved = Resolve(schema);
        if (answer is null || depth > 8)
        {
            return;
        }

        if (resolved["anyOf"] is JsonArray anyOf)
        {
            if (!anyOf.Any(option => { var inner = new List<string>(); Check(answer, option!, at, inner, depth + 1); return inner.Count == 0; }))
            {
                problems.Add($"{at}: matches none of anyOf");
            }

            return;
        }

        var type = resolved["type"]?.GetValue<string>() ?? (resolved["properties"] is not null ? "object" : null);
        var kind = answer.GetValueKind();
        var ok = type switch
        {
            "object" => kind == System.Text.Json.JsonValueKind.Object,
            "array" => kind == System.Text.Json.JsonValueKind.Array,
            "string" => kind == System.Text.Json.JsonValueKind.String,
            "integer" => kind == System.Text.Json.JsonValueKind.Number && answer.GetValue<double>() % 1 == 0,
            "number" => kind == System.Text.Json.JsonValueKind.Number,
            "boolean" => kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
            _ => true,
        };
        if (!ok)
        {
            problems.Add($"{at}: expected {type}, got {kind}");
            return;
        }

        if (type == "object" && resolved["properties"] is JsonObject properties)
        {
            var obj = answer.AsObject();
            foreach (var name in Required(resolved))
            {
                if (obj[name] is null)
                {
                    problems.Add($"{at}.{name}: required, {(obj.ContainsKey(name) ? "null" : "missing")}");
                }
            }

            foreach (var (name, property) in properties)
            {
                Check(obj[name], property!, $"{at}.{name}", problems, depth + 1);
            }
        }
        else if (type == "array" && resolved["items"] is { } items)
        {
            foreach (var (item, i) in answer.AsArray().Take(3).Select((item, i) => (item, i)))
            {
                Check(item, items, $"{at}[{i}]", problems, depth + 1);
            }
        }
    }

    // Prefect 2.10.11 left "required" out of its model schemas (only FastAPI's Body_* schemas keep it): the fields
    // without a default in its schemas/actions.py and schemas/core.py.
    private static readonly Dictionary<string, string[]> RequiredByModel = new()
    {
        ["FlowCreate"] = ["name"],
        ["FlowRunCreate"] = ["flow_id"],
        ["TaskRunCreate"] = ["flow_run_id", "task_key", "dynamic_key"],
        ["StateCreate"] = ["type"],
        ["DeploymentCreate"] = ["name", "flow_id"],
        ["SavedSearchCreate"] = ["name"],
        ["LogCreate"] = ["name", "level", "message", "timestamp", "flow_run_id"],
        ["ConcurrencyLimitCreate"] = ["tag", "concurrency_limit"],
        ["BlockTypeCreate"] = ["name", "slug"],
        ["BlockDocumentCreate"] = ["name", "block_schema_id", "block_type_id"],
        ["BlockSchemaCreate"] = ["block_type_id"],
        ["WorkPoolCreate"] = ["name"],
        ["WorkQueueCreate"] = ["name"],
        ["VariableCreate"] = ["name", "value"],
        ["FlowRunNotificationPolicyCreate"] = ["state_names", "tags", "block_document_id"],

        // Answers: what a Prefect server always fills in (ids and times of stored things, and their required fields).
        ["Flow"] = ["id", "created", "updated", "name", "tags"],
        ["FlowRunResponse"] = ["id", "created", "updated", "name", "flow_id", "parameters", "tags", "run_count", "empirical_policy"],
        ["TaskRun"] = ["id", "created", "updated", "name", "flow_run_id", "task_key", "dynamic_key", "tags", "run_count", "empirical_policy"],
        ["DeploymentResponse"] = ["id", "created", "updated", "name", "flow_id", "parameters", "tags"],
        ["State"] = ["id", "type", "name", "timestamp"],
        ["OrchestrationResult"] = ["status", "details"],
        ["WorkPool"] = ["id", "created", "updated", "name", "type"],
        ["WorkQueue"] = ["id", "created", "updated", "name"],
        ["Worker"] = ["id", "name", "work_pool_id", "last_heartbeat_time"],
        ["BlockType"] = ["id", "name", "slug"],
        ["BlockSchema"] = ["id", "checksum", "block_type_id", "fields", "capabilities"],
        ["BlockDocument"] = ["id", "block_schema_id", "block_type_id", "data"],
        ["ConcurrencyLimit"] = ["id", "tag", "concurrency_limit", "active_slots"],
        ["Artifact"] = ["id", "created", "updated"],
        ["ArtifactCollection"] = ["id", "key", "latest_id"],
        ["Variable"] = ["id", "name", "value", "tags"],
        ["SavedSearch"] = ["id", "name", "filters"],
        ["Log"] = ["id", "name", "level", "message", "timestamp"],
    };

    private static HashSet<string> Required(JsonObject schema) =>
        schema["required"] is JsonArray required
            ? [.. required.Select(r => r!.GetValue<string>())]
            : [.. RequiredByModel.GetValueOrDefault(schema["title"]?.GetValue<string>() ?? "", [])];

    /// <summary>One operation of the schema.</summary>
    internal sealed record Operation(string Method, string Path, JsonNode? BodySchema, bool BodyRequired, JsonObject Responses)
    {
        /// <summary>The body schema's name (or <c>inline</c>).</summary>
        public string SchemaName => BodySchema?["$ref"]?.GetValue<string>().Split('/')[^1] ?? "inline";

        public override string ToString() => $"{Method} {Path}";
    }
}
