using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Conformance;

/// <summary>One of each thing the operations refer to, so that path parameters and <c>*_id</c> fields name things
/// that exist and each body reaches its validation (not a 404 before it).</summary>
internal sealed class ConformanceSeed
{
    private readonly Dictionary<string, string> _ids = [];
    private readonly Dictionary<string, string> _names = [];

    public static async Task<ConformanceSeed> CreateAsync(PrefectApi api)
    {
        var seed = new ConformanceSeed();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        async Task<JsonObject> Post(string path, object body, HttpMethod? method = null)
        {
            var answer = await api.SendAsync(method ?? HttpMethod.Post, path, body);
            return answer.Code is 200 or 201 ? answer.Object : throw new Xunit.Sdk.XunitException($"seeding: {answer}");
        }

        string Id(JsonObject node) => node["id"]!.GetValue<string>();

        var flowName = "conf-flow-" + suffix;
        var flow = await Post("flows/", new { name = flowName });
        seed._ids["flows"] = Id(flow);
        seed._names["flow"] = flowName;
        var flowRun = await api.CreateFlowRunAsync(Guid.Parse(Id(flow)));
        seed._ids["flow_runs"] = flowRun["id"]!.GetValue<string>();
        seed._ids["flow_run_states"] = flowRun["state"]!["id"]!.GetValue<string>();
        var taskRun = await api.CreateTaskRunAsync(Guid.Parse(seed._ids["flow_runs"]));
        seed._ids["task_runs"] = taskRun["id"]!.GetValue<string>();
        seed._ids["task_run_states"] = taskRun["state"]!["id"]!.GetValue<string>();

        var pool = "conf-pool-" + suffix;
        seed._names["pool"] = pool;
        await Post("work_pools/", new { name = pool, type = "process" });
        var queue = await Post($"work_pools/{pool}/queues", new { name = "conf-queue" });
        seed._names["pool_queue"] = "conf-queue";
        seed._ids["work_queues"] = Id(queue);
        var legacy = await Post("work_queues/", new { name = "conf-legacy-" + suffix });
        seed._ids["work_queues"] = Id(legacy);
        seed._names["work_queue"] = "conf-legacy-" + suffix;
        seed._ids["deployments"] = Id(await Post("deployments/", new { name = "conf-deployment", flow_id = Id(flow), work_pool_name = pool }));
        seed._names["deployment"] = "conf-deployment";

        var slug = "conf-block-" + suffix;
        var blockType = await Post("block_types/", new { name = "Conf Block " + suffix, slug });
        seed._ids["block_types"] = Id(blockType);
        seed._names["slug"] = slug;
        var blockSchema = await Post("block_schemas/", new { fields = new { title = "Conf", type = "object", properties = new { } }, block_type_id = Id(blockType), capabilities = Array.Empty<string>() });
        seed._ids["block_schemas"] = Id(blockSchema);
        seed._names["checksum"] = blockSchema["checksum"]!.GetValue<string>();
        var document = await Post("block_documents/", new { name = "conf-doc", block_type_id = Id(blockType), block_schema_id = Id(blockSchema), data = new { } });
        seed._ids["block_documents"] = Id(document);
        seed._names["block_document"] = "conf-doc";

        var tag = "conf-tag-" + suffix;
        seed._ids["concurrency_limits"] = Id(await Post("concurrency_limits/", new { tag, concurrency_limit = 5 }));
        seed._names["tag"] = tag;
        var key = "conf-artifact-" + suffix;
        seed._ids["artifacts"] = Id(await Post("artifacts/", new { key, type = "markdown", data = "# hi" }));
        seed._names["key"] = key;
        var variable = "conf_var_" + suffix;
        seed._ids["variables"] = Id(await Post("variables/", new { name = variable, value = "v" }));
        seed._names["variable"] = variable;
        seed._ids["saved_searches"] = Id(await Post("saved_searches/", new { name = "conf-search-" + suffix, filters = Array.Empty<object>() }, HttpMethod.Put));
        return seed;
    }

    /// <summary>The path (relative to <c>/api/</c>) of a path template, its parameters naming the seeded things.</summary>
    public string Path(string template)
    {
        var segments = template.Trim('/').Split('/');
        var resource = segments[0];
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (!segment.StartsWith('{'))
            {
                continue;
            }

            var previous = i > 0 ? segments[i - 1] : "";
            segments[i] = Uri.EscapeDataString(segment.Trim('{', '}') switch
            {
                "id" when resource == "work_pools" => _ids["work_queues"],
                "id" => _ids.GetValueOrDefault(resource, Guid.NewGuid().ToString()),
                "name" when resource == "work_pools" => previous == "queues" ? _names["pool_queue"] : _names["pool"],
                "name" when resource == "flows" => _names["flow"],
                "name" when resource == "variables" => _names["variable"],
                "name" when resource == "work_queues" => _names["work_queue"],
                "work_pool_name" => _names["pool"],
                "flow_name" => _names["flow"],
                "deployment_name" => _names["deployment"],
                "slug" => _names["slug"],
                "block_document_name" => _names["block_document"],
                "checksum" => _names["checksum"],
                "tag" => _names["tag"],
                "key" => _names["key"],
                _ => "unknown",
            });
        }

        return string.Join('/', segments) + (template.EndsWith('/') ? "/" : "");
    }

    /// <summary>A value for a body field this seed knows by name (an id of a seeded thing), else null.</summary>
    public JsonNode? Value(string field, JsonObject schema) => field switch
    {
        "flow_id" => _ids["flows"],
        "flow_run_id" => _ids["flow_runs"],
        "task_run_id" => _ids["task_runs"],
        "deployment_id" => _ids["deployments"],
        "block_type_id" => _ids["block_types"],
        "block_schema_id" => _ids["block_schemas"],
        "block_document_id" => _ids["block_documents"],
        "work_queue_id" => _ids["work_queues"],
        _ when schema["format"]?.GetValue<string>() == "time-delta" => 3600,
        _ => null,
    };
}
