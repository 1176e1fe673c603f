using System.CommandLine;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow deploy [--file orleansflow.yaml] [--api URL]</c>: creates or updates the flows and deployments an
/// <c>orleansflow.yaml</c> file lists (see docs/deploy-yaml.md). Deploying the same file again updates the deployments in
/// place (the API upserts by flow and name); a work pool the file names is created (type <c>process</c>) when missing.
/// A wrong file is refused before anything is sent, naming the file, line and field; a field the server refuses (e.g. an
/// invalid cron expression, a 422) is reported with the line of that field.</summary>
internal static class DeployCommand
{
    public static Command Create(ClientCommand cli)
    {
        var file = new Option<string>("--file", "-f")
        {
            Description = "The deployment file (default orleansflow.yaml in the current directory).",
            DefaultValueFactory = _ => "orleansflow.yaml",
        };
        var only = new Option<string[]>("--name", "-n")
        {
            Description = "Deploy only the deployments of this name or flow/name (repeatable); default all.",
        };
        var deploy = new Command("deploy", "Create or update the deployments listed in an orleansflow.yaml file.") { file, only };
        cli.SetAction(deploy, async (parse, api, ct) =>
        {
            var path = parse.GetValue(file)!;
            var specs = DeployFile.Read(path);
            var names = parse.GetValue(only) ?? [];
            if (names.Length > 0)
            {
                var unknown = names.Where(n => !specs.Any(s => s.Name == n || s.FullName == n)).ToArray();
                if (unknown.Length > 0)
                {
                    throw new CliException($"{Path.GetFileName(path)} has no deployment named {string.Join(", ", unknown.Select(n => $"'{n}'"))}", 2);
                }

                specs = [.. specs.Where(s => names.Contains(s.Name) || names.Contains(s.FullName))];
            }

            var fileName = Path.GetFileName(path);
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var described = new Dictionary<(string, string), Dictionary<string, JsonObject>?>();
            var pools = new HashSet<string>(StringComparer.Ordinal);
            var deployed = new JsonArray();
            foreach (var spec in specs)
            {
                if (spec.WorkPool is { } pool && pools.Add(pool) && await EnsurePoolAsync(api, pool, ct).ConfigureAwait(false) && !cli.Json(parse))
                {
                    cli.Console.Out.WriteLine($"Created work pool '{pool}' (process).");
                }

                var schema = await SchemaAsync(spec, folder, described, ct).ConfigureAwait(false);
                var deployment = await DeployAsync(api, spec, schema, fileName, ct).ConfigureAwait(false);
                deployed.Add(deployment);
                if (!cli.Json(parse))
                {
                    cli.Console.Out.WriteLine($"Deployed '{spec.FullName}' ({deployment["id"]}): {Describe(deployment)}.");
                }
            }

            if (cli.Json(parse))
            {
                cli.WriteJson(deployed);
            }
        });
        return deploy;
    }

    /// <summary>Creates the pool when missing; true when it did.</summary>
    private static async Task<bool> EnsurePoolAsync(OrleansFlowClient api, string pool, CancellationToken ct)
    {
        try
        {
            await api.GetJsonAsync($"work_pools/{ClientCommand.Escape(pool)}", "missing", ct).ConfigureAwait(false);
            return false;
        }
        catch (CliException e) when (e.Message == "missing")
        {
            await api.PostJsonAsync("work_pools/", new { name = pool, type = "process" }, $"work pool '{pool}' cannot be created", ct).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>The flow's parameter schema, read from the deployment's program when it is here (see
    /// <see cref="DeployDescriber"/>); each program is asked once.</summary>
    private static async Task<JsonObject?> SchemaAsync(DeploySpec spec, string folder, Dictionary<(string, string), Dictionary<string, JsonObject>?> described,
        CancellationToken ct)
    {
        if (spec.JobVariables["command"]?.GetValue<string>() is not { Length: > 0 } command)
        {
            return null;
        }

        var directory = spec.JobVariables["working_dir"]?.GetValue<string>() is { Length: > 0 } workingDir ? Path.GetFullPath(workingDir, folder) : folder;
        if (!described.TryGetValue((command, directory), out var flows))
        {
            flows = await DeployDescriber.DescribeAsync(command, directory, ct).ConfigureAwait(false);
            described[(command, directory)] = flows;
        }

        return flows is null ? null
            : flows.TryGetValue(spec.Flow, out var schema) ? schema
            : throw new CliException($"'{command}' has no [Flow] named '{spec.Flow}' (it has: {string.Join(", ", flows.Keys.Order(StringComparer.Ordinal))})");
    }

    private static async Task<JsonNode> DeployAsync(OrleansFlowClient api, DeploySpec spec, JsonObject? schema, string file, CancellationToken ct)
    {
        var flow = await api.PostJsonAsync("flows/", new { name = spec.Flow }, "flows not found", ct).ConfigureAwait(false);
        var body = new JsonObject
        {
            ["name"] = spec.Name,
            ["flow_id"] = flow!["id"]!.DeepClone(),
            ["schedule"] = spec.Schedule?.DeepClone(),
            ["is_schedule_active"] = !spec.Paused,
            ["parameters"] = spec.Parameters.DeepClone(),
            ["tags"] = new JsonArray([.. spec.Tags.Select(t => (JsonNode?)t)]),
            ["description"] = spec.Description,
            ["version"] = spec.Version,
            ["entrypoint"] = spec.Entrypoint,
            ["work_pool_name"] = spec.WorkPool,
            ["work_queue_name"] = spec.WorkQueue,
            ["infra_overrides"] = spec.JobVariables.DeepClone(),
        };
        if (schema is not null)
        {
            body["parameter_openapi_schema"] = schema.DeepClone();
        }

        try
        {
            return (await api.CallAsync(HttpMethod.Post, "deployments/", body, "deployments not found", ct).ConfigureAwait(false))!;
        }
        catch (CliException e) when (e.ExitCode == 1 && e.Message.StartsWith("the server refused", StringComparison.Ordinal))
        {
            // "the server refused the request (422): body.schedule: ..." -> the line of the schedule field.
            var field = FieldOf(e.Message);
            throw new CliException($"{file}:{spec.LineOf(field)}: {spec.Path}{(field is null ? "" : "." + YamlField(field))} ('{spec.FullName}'): {e.Message}");
        }
    }

    private static string? FieldOf(string message)
    {
        var start = message.IndexOf("body.", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var rest = message[(start + 5)..];
        var end = rest.IndexOfAny(['.', ':', ' ']);
        return end < 0 ? rest : rest[..end];
    }

    private static string YamlField(string apiField) => apiField switch
    {
        "work_pool_name" or "work_queue_name" or "infra_overrides" => "work_pool",
        "is_schedule_active" => "paused",
        "flow_id" => "flow",
        _ => apiField,
    };

    private static string Describe(JsonNode deployment)
    {
        var schedule = deployment["schedule"] is JsonObject s
            ? (s["cron"] is { } cron ? $"cron '{cron}'" : s["interval"] is { } interval ? $"every {interval} s" : s["rrule"] is { } rrule ? $"rrule '{rrule.ToString().Replace("\n", "\\n", StringComparison.Ordinal)}'" : s.ToJsonString())
              + (s["timezone"] is { } zone ? $" ({zone})" : "")
              + (deployment["is_schedule_active"]?.GetValue<bool>() == false ? ", paused" : "")
            : "no schedule";
        return $"{schedule}; work pool '{deployment["work_pool_name"]}', queue '{deployment["work_queue_name"]}'";
    }
}
