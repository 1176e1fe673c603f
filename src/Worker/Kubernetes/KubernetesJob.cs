using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace OrleansFlow.Worker.Kubernetes;

/// <summary>Builds the <c>batch/v1</c> Job of one flow run from its rendered job configuration (the pool's base job
/// template with the deployment's job variables): <c>job_manifest</c> when the configuration has one (as Prefect's
/// Kubernetes worker template does), else a Job built from <c>image</c>, <c>namespace</c>, <c>command</c>, <c>env</c>,
/// <c>labels</c>, <c>image_pull_policy</c>, <c>service_account_name</c> and <c>finished_job_ttl</c>. Either way the first
/// container gets <c>ORLEANSFLOW_API_URL</c> and <c>ORLEANSFLOW_FLOW_RUN_ID</c> (and the <c>PREFECT_</c> equivalents),
/// the Job is labelled with the run id, never restarts its pod and is not retried (<c>backoffLimit: 0</c>): a failed pod is
/// a crashed run.</summary>
public static class KubernetesJob
{
    /// <summary>The label naming the flow run on the Job and its pod.</summary>
    public const string RunLabel = "orleansflow.io/flow-run-id";

    /// <summary>The namespace used when neither the configuration nor the worker names one.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>The image used when the configuration names none.</summary>
    public const string DefaultImage = "orleansflow/flow:latest";

    /// <summary>The Job manifest for <paramref name="flowRunId"/>.</summary>
    /// <param name="configuration">The run's rendered job configuration.</param>
    /// <param name="flowRunId">The run the pod runs.</param>
    /// <param name="apiUrl">The API root the pod reaches the server at.</param>
    /// <param name="defaultNamespace">The namespace when the configuration gives none (the worker's own).</param>
    /// <exception cref="FormatException">The configuration's <c>job_manifest</c> has no container, or the command has an
    /// unclosed quote.</exception>
    public static JsonObject Render(JsonObject configuration, Guid flowRunId, Uri apiUrl, string defaultNamespace = DefaultNamespace)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(apiUrl);
        var job = configuration["job_manifest"] is JsonObject manifest ? (JsonObject)manifest.DeepClone() : Default(configuration);
        job["apiVersion"] ??= "batch/v1";
        job["kind"] ??= "Job";
        var metadata = Object(job, "metadata");
        var ns = Text(metadata["namespace"]) ?? Text(configuration["namespace"]) ?? defaultNamespace;
        metadata["namespace"] = ns;
        if (Text(metadata["name"]) is null && Text(metadata["generateName"]) is null)
        {
            metadata["name"] = $"{Text(configuration["name"]) ?? "orleansflow"}-{flowRunId:N}";
        }

        if (Text(metadata["name"]) is { } fixedName)
        {
            metadata["name"] = Sanitize(fixedName);
        }

        Object(metadata, "labels")[RunLabel] = flowRunId.ToString();
        var spec = Object(job, "spec");
        spec["backoffLimit"] ??= 0;
        var template = Object(spec, "template");
        Object(Object(template, "metadata"), "labels")[RunLabel] = flowRunId.ToString();
        var podSpec = Object(template, "spec");
        podSpec["restartPolicy"] ??= "Never";
        if (podSpec["containers"] is not JsonArray { Count: > 0 } containers || containers[0] is not JsonObject container)
        {
            throw new FormatException("The job manifest has no container (spec.template.spec.containers[0]).");
        }

        var env = container["env"] switch
        {
            JsonArray list => list,
            // A template whose container says "env": "{{ env }}" renders the variable's object: make it a list.
            JsonObject map => EnvList(map),
            _ => [],
        };
        container["env"] = env;
        var api = apiUrl.ToString().TrimEnd('/');
        SetEnv(env, "ORLEANSFLOW_API_URL", api);
        SetEnv(env, "ORLEANSFLOW_FLOW_RUN_ID", flowRunId.ToString());
        SetEnv(env, "PREFECT_API_URL", api);
        SetEnv(env, "PREFECT__FLOW_RUN_ID", flowRunId.ToString());
        return job;
    }

    /// <summary>The Job's namespace and name as recorded in the run's <c>infrastructure_pid</c>: <c>namespace:name</c>.</summary>
    public static string Pid(JsonObject job) => $"{Text(job["metadata"]?["namespace"])}:{Text(job["metadata"]?["name"])}";

    /// <summary>The Job's namespace and name as recorded in the run's <c>infrastructure_pid</c>: <c>namespace:name</c>.</summary>
    public static string Pid(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return $"{job.Metadata?.NamespaceProperty}:{job.Metadata?.Name}";
    }

    /// <summary>The rendered manifest as the client's <see cref="V1Job"/> model, and the paths of the fields the model has
    /// no place for (a misspelt field, or one newer than the client): those are left out of the Job, as an API server
    /// drops unknown fields (with a warning) by default.</summary>
    /// <exception cref="System.Text.Json.JsonException">A field has a value of the wrong type (e.g. text for a number).</exception>
    public static (V1Job Job, IReadOnlyList<string> Dropped) ToModel(JsonObject manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var json = manifest.ToJsonString();
        var job = KubernetesJson.Deserialize<V1Job>(json);
        var dropped = new List<string>();
        Missing(manifest, JsonNode.Parse(KubernetesJson.Serialize(job)), "", dropped);
        return (job, dropped);
    }

    // Collects what is in the manifest but not in its round trip through the model (nulls say nothing, so they are skipped).
    private static void Missing(JsonNode? original, JsonNode? kept, string path, List<string> dropped)
    {
        switch (original)
        {
            case JsonObject fields:
                foreach (var (name, value) in fields)
                {
                    var child = $"{path}.{name}";
                    if (value is null)
                    {
                        continue;
                    }

                    if (kept is not JsonObject keptFields || !keptFields.TryGetPropertyValue(name, out var keptValue))
                    {
                        dropped.Add(child[1..]);
                        continue;
                    }

                    Missing(value, keptValue, child, dropped);
                }

                break;
            case JsonArray items when kept is JsonArray keptItems:
                for (var i = 0; i < items.Count && i < keptItems.Count; i++)
                {
                    Missing(items[i], keptItems[i], $"{path}[{i}]", dropped);
                }

                break;
        }
    }

    private static JsonObject Default(JsonObject configuration)
    {
        var container = new JsonObject
        {
            ["name"] = "flow",
            ["image"] = Text(configuration["image"]) ?? DefaultImage,
        };
        if (Text(configuration["image_pull_policy"]) is { } pull)
        {
            container["imagePullPolicy"] = pull;
        }

        if (Text(configuration["command"]) is { Length: > 0 } command)
        {
            container["args"] = new JsonArray([.. CommandLine.Split(command).Select(a => (JsonNode?)a)]);
        }

        container["env"] = configuration["env"] is JsonObject variables ? EnvList(variables) : new JsonArray();
        var podSpec = new JsonObject { ["containers"] = new JsonArray(container), ["restartPolicy"] = "Never" };
        if (Text(configuration["service_account_name"]) is { } account)
        {
            podSpec["serviceAccountName"] = account;
        }

        var labels = new JsonObject();
        if (configuration["labels"] is JsonObject extra)
        {
            foreach (var (name, value) in extra)
            {
                labels[name] = value?.DeepClone();
            }
        }

        var spec = new JsonObject
        {
            ["backoffLimit"] = 0,
            ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() }, ["spec"] = podSpec },
        };
        if (configuration["finished_job_ttl"] is JsonValue ttl && ttl.TryGetValue<int>(out var seconds))
        {
            spec["ttlSecondsAfterFinished"] = seconds;
        }

        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["labels"] = labels },
            ["spec"] = spec,
        };
    }

    private static JsonArray EnvList(JsonObject variables) =>
        [.. variables.Select(pair => (JsonNode?)new JsonObject
        {
            ["name"] = pair.Key,
            ["value"] = pair.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : pair.Value?.ToJsonString() ?? "",
        })];

    private static void SetEnv(JsonArray env, string name, string value)
    {
        foreach (var item in env.OfType<JsonObject>().Where(e => Text(e["name"]) == name).ToList())
        {
            env.Remove(item);
        }

        env.Add(new JsonObject { ["name"] = name, ["value"] = value });
    }

    private static JsonObject Object(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }

        child = [];
        parent[name] = child;
        return child;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    /// <summary>A DNS-1123 name: lower case letters, digits and '-', at most 63 characters, starting and ending alphanumeric.</summary>
    private static string Sanitize(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray();
        var text = new string(chars).Trim('-');
        return (text.Length > 63 ? text[..63] : text).TrimEnd('-');
    }
}
