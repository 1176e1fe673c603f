using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow deployment ls|inspect|run|pause|resume|delete</c>. Deployments are named
/// <c>flow-name/deployment-name</c> as in Prefect, or given by id.</summary>
internal static class DeploymentCommands
{
    public static Command Create(ClientCommand cli)
    {
        var ls = new Command("ls", "List deployments.");
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var deployments = (await api.PostJsonAsync("deployments/filter", new { }, "deployments not found", ct).ConfigureAwait(false))!.AsArray();
            if (cli.WriteJsonOrNone(parse, deployments, "deployments"))
            {
                return;
            }

            var flows = await FlowNamesAsync(api, deployments.Select(d => d!["flow_id"]!.ToString()), ct).ConfigureAwait(false);
            var table = new Table("NAME", "ID", "SCHEDULE", "WORK POOL", "WORK QUEUE");
            foreach (var d in deployments.Where(d => d is not null))
            {
                table.Add(FullName(d!, flows), ClientCommand.Text(d!["id"]), d!["schedule"] is null ? "none" : d!["is_schedule_active"]?.GetValue<bool>() == false ? "paused" : "active",
                    ClientCommand.Text(d!["work_pool_name"]), ClientCommand.Text(d!["work_queue_name"]));
            }

            cli.WriteTable(table);
        });

        var inspect = new Command("inspect", "Show a deployment.") { NameArgument() };
        cli.SetAction(inspect, async (parse, api, ct) =>
        {
            var (deployment, name) = await ResolveAsync(api, parse.GetValue<string>("name")!, ct).ConfigureAwait(false);
            if (cli.Json(parse))
            {
                cli.WriteJson(deployment);
                return;
            }

            cli.WriteFields(
            [
                ("name", name),
                ("id", ClientCommand.Text(deployment["id"])),
                ("flow id", ClientCommand.Text(deployment["flow_id"])),
                ("description", ClientCommand.Text(deployment["description"])),
                ("version", ClientCommand.Text(deployment["version"])),
                ("tags", ClientCommand.Text(deployment["tags"])),
                ("schedule", ClientCommand.Text(deployment["schedule"])),
                ("schedule active", ClientCommand.Text(deployment["is_schedule_active"])),
                ("parameters", ClientCommand.Text(deployment["parameters"])),
                ("work pool", ClientCommand.Text(deployment["work_pool_name"])),
                ("work queue", ClientCommand.Text(deployment["work_queue_name"])),
                ("entrypoint", ClientCommand.Text(deployment["entrypoint"])),
                ("created", ClientCommand.Time(deployment["created"])),
                ("updated", ClientCommand.Time(deployment["updated"])),
            ]);
        });

        var param = new Option<string[]>("--param", "-p")
        {
            Description = "A parameter as key=value (repeatable); the value is read as JSON when it parses (42, true, [1,2]), else as text. Wins over --params.",
            AllowMultipleArgumentsPerToken = false,
        };
        var paramsJson = new Option<string?>("--params") { Description = "The parameters as one JSON object ('-' reads it from standard input)." };
        var watch = new Option<bool>("--watch") { Description = "Follow the run to a final state, printing its state changes; exit 1 unless it completed." };
        var watchInterval = new Option<int>("--watch-interval") { Description = "With --watch: seconds between looks at the run (default 5).", DefaultValueFactory = _ => 5 }
            .Check(value => value >= 1, "--watch-interval must be 1 or more.");
        var watchTimeout = new Option<int?>("--watch-timeout") { Description = "With --watch: give up (exit 1) after this many seconds (default: wait for ever)." }
            .Check(value => value is null or >= 1, "--watch-timeout must be 1 or more.");
        var run = new Command("run", "Create a flow run of a deployment now.") { NameArgument(), param, paramsJson, watch, watchInterval, watchTimeout };
        cli.SetAction(run, async (parse, api, ct) =>
        {
            if (!parse.GetValue(watch) && (parse.GetResult(watchInterval) is { Implicit: false } || parse.GetValue(watchTimeout) is not null))
            {
                throw new CliException("--watch-interval and --watch-timeout go with --watch", CliRunner.UsageError);
            }

            var parameters = await ParametersJsonAsync(cli, parse.GetValue(paramsJson), ct).ConfigureAwait(false);
            foreach (var (key, value) in Parameters(parse.GetValue(param) ?? []).ToArray())
            {
                parameters[key] = value?.DeepClone();
            }

            var (deployment, name) = await ResolveAsync(api, parse.GetValue<string>("name")!, ct).ConfigureAwait(false);
            var flowRun = (await api.PostJsonAsync($"deployments/{deployment["id"]}/create_flow_run", new { parameters }, $"deployment '{name}' not found", ct).ConfigureAwait(false))!;
            if (!parse.GetValue(watch))
            {
                if (cli.Json(parse))
                {
                    cli.WriteJson(flowRun);
                    return;
                }

                cli.Console.Out.WriteLine($"Created flow run '{flowRun["name"]}' ({flowRun["id"]}) of deployment '{name}': {flowRun["state"]?["name"]}");
                return;
            }

            if (!cli.Json(parse))
            {
                cli.Console.Out.WriteLine($"Created flow run '{flowRun["name"]}' ({flowRun["id"]}) of deployment '{name}'; watching it.");
            }

            var timeout = parse.GetValue(watchTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            await FlowRunWatch.FollowAsync(cli, parse, api, flowRun, TimeSpan.FromSeconds(parse.GetValue(watchInterval)), timeout, ct).ConfigureAwait(false);
        });

        var pause = new Command("pause", "Pause a deployment's schedule (no new scheduled runs).") { NameArgument() };
        cli.SetAction(pause, (parse, api, ct) => SetScheduleActiveAsync(cli, parse, api, active: false, ct));
        var resume = new Command("resume", "Resume a deployment's schedule.") { NameArgument() };
        cli.SetAction(resume, (parse, api, ct) => SetScheduleActiveAsync(cli, parse, api, active: true, ct));

        var delete = new Command("delete", "Delete a deployment.") { NameArgument() };
        cli.SetDeleteAction(delete, async (parse, api, ct) =>
        {
            var (deployment, name) = await ResolveAsync(api, parse.GetValue<string>("name")!, ct).ConfigureAwait(false);
            return new Deletion($"deployment '{name}'", deployment,
                c => api.CallAsync(HttpMethod.Delete, $"deployments/{deployment["id"]}", null, $"deployment '{name}' not found", c));
        });

        return cli.Group("deployment", "Manage deployments.", ls, inspect, run, pause, resume, delete);
    }

    private static Argument<string> NameArgument() => new("name") { Description = "flow-name/deployment-name, or the deployment's id." };

    private static async Task SetScheduleActiveAsync(ClientCommand cli, ParseResult parse, OrleansFlowClient api, bool active, CancellationToken ct)
    {
        var (deployment, name) = await ResolveAsync(api, parse.GetValue<string>("name")!, ct).ConfigureAwait(false);
        await api.PostJsonAsync($"deployments/{deployment["id"]}/set_schedule_{(active ? "active" : "inactive")}", new { }, $"deployment '{name}' not found", ct).ConfigureAwait(false);
        if (cli.Json(parse))
        {
            cli.WriteJson(await api.GetJsonAsync($"deployments/{deployment["id"]}", $"deployment '{name}' not found", ct).ConfigureAwait(false));
            return;
        }

        cli.Console.Out.WriteLine(active ? $"Resumed deployment '{name}'." : $"Paused deployment '{name}'.");
    }

    /// <summary>The deployment and its <c>flow/deployment</c> name, by id or by name.</summary>
    internal static async Task<(JsonNode Deployment, string Name)> ResolveAsync(OrleansFlowClient api, string nameOrId, CancellationToken ct)
    {
        var notFound = $"deployment '{nameOrId}' not found";
        if (Guid.TryParse(nameOrId, out var id))
        {
            var byId = (await api.GetJsonAsync($"deployments/{id}", notFound, ct).ConfigureAwait(false))!;
            var flow = await api.GetJsonAsync($"flows/{byId["flow_id"]}", notFound, ct).ConfigureAwait(false);
            return (byId, $"{flow?["name"]}/{byId["name"]}");
        }

        var slash = nameOrId.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == nameOrId.Length - 1)
        {
            throw new CliException($"deployment '{nameOrId}': give it as flow-name/deployment-name or by id", 2);
        }

        var deployment = await api.GetJsonAsync(
            $"deployments/name/{ClientCommand.Escape(nameOrId[..slash])}/{ClientCommand.Escape(nameOrId[(slash + 1)..])}", notFound, ct).ConfigureAwait(false);
        return (deployment!, nameOrId);
    }

    internal static async Task<Dictionary<string, string>> FlowNamesAsync(OrleansFlowClient api, IEnumerable<string> flowIds, CancellationToken ct)
    {
        var ids = flowIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var flows = (await api.PostJsonAsync("flows/filter", new { flows = new { id = new { any_ = ids } } }, "flows not found", ct).ConfigureAwait(false))!.AsArray();
        return flows.Where(f => f is not null).ToDictionary(f => f!["id"]!.ToString(), f => f!["name"]!.ToString());
    }

    private static string FullName(JsonNode deployment, Dictionary<string, string> flows) =>
        $"{flows.GetValueOrDefault(deployment["flow_id"]!.ToString(), "?")}/{deployment["name"]}";

    /// <summary>The <c>--params</c> JSON object (read from standard input for <c>-</c>); empty when not given.</summary>
    private static async Task<JsonObject> ParametersJsonAsync(ClientCommand cli, string? text, CancellationToken ct)
    {
        if (text is null)
        {
            return [];
        }

        if (text == "-")
        {
            text = await cli.Console.In.ReadToEndAsync(ct).ConfigureAwait(false);
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new CliException("--params must be a JSON object, e.g. {\"x\": 1}", CliRunner.UsageError);
        }
        catch (JsonException e)
        {
            throw new CliException($"--params is not JSON: {e.Message}", CliRunner.UsageError);
        }
    }

    /// <summary><c>key=value</c> pairs as a JSON object; a value that parses as JSON keeps its type.</summary>
    internal static JsonObject Parameters(IEnumerable<string> pairs)
    {
        var parameters = new JsonObject();
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"--param '{pair}' is not key=value", 2);
            }

            var text = pair[(equals + 1)..];
            JsonNode? value;
            try
            {
                value = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                value = JsonValue.Create(text);
            }

            parameters[pair[..equals]] = value;
        }

        return parameters;
    }
}
