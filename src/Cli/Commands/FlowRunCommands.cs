using System.CommandLine;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow flow-run ls|inspect|cancel|logs|delete</c>.</summary>
internal static class FlowRunCommands
{
    public static Command Create(ClientCommand cli)
    {
        var states = new StateFilter("runs");
        var flowName = new Option<string[]>("--flow-name")
        {
            Description = "Only runs of the flow of this name (repeat for runs of any of several).",
            AllowMultipleArgumentsPerToken = false,
        };
        var limit = ClientCommand.LimitOption("runs, newest expected start first", 20, "-n");
        var ls = new Command("ls", "List flow runs.") { states.State, states.StateType, flowName, limit };
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var runs = (await api.PostJsonAsync("flow_runs/filter", Filter(states.Condition(parse), parse.GetValue(flowName) ?? [], parse.GetValue(limit)), "flow runs not found", ct).ConfigureAwait(false))!.AsArray();
            if (cli.WriteJsonOrNone(parse, runs, "flow runs"))
            {
                return;
            }

            var flows = await DeploymentCommands.FlowNamesAsync(api, runs.Select(r => r!["flow_id"]!.ToString()), ct).ConfigureAwait(false);
            var table = new Table("ID", "FLOW", "NAME", "STATE", "EXPECTED START");
            foreach (var r in runs.Where(r => r is not null))
            {
                table.Add(ClientCommand.Text(r!["id"]), flows.GetValueOrDefault(r["flow_id"]!.ToString(), ""), ClientCommand.Text(r["name"]),
                    ClientCommand.Text(r["state"]?["name"]), ClientCommand.Time(r["expected_start_time"]));
            }

            cli.WriteTable(table);
        });

        var inspect = new Command("inspect", "Show a flow run.") { IdArgument() };
        cli.SetAction(inspect, async (parse, api, ct) =>
        {
            var run = await GetAsync(api, parse, ct).ConfigureAwait(false);
            if (cli.Json(parse))
            {
                cli.WriteJson(run);
                return;
            }

            var flow = await api.GetJsonAsync($"flows/{run["flow_id"]}", "flow not found", ct).ConfigureAwait(false);
            cli.WriteFields(
            [
                ("id", ClientCommand.Text(run["id"])),
                ("name", ClientCommand.Text(run["name"])),
                ("flow", ClientCommand.Text(flow?["name"])),
                ("deployment id", ClientCommand.Text(run["deployment_id"])),
                ("state", $"{run["state"]?["name"]} ({run["state"]?["type"]})"),
                ("state message", ClientCommand.Text(run["state"]?["message"])),
                ("parameters", ClientCommand.Text(run["parameters"])),
                ("tags", ClientCommand.Text(run["tags"])),
                ("work pool", ClientCommand.Text(run["work_pool_name"])),
                ("work queue", ClientCommand.Text(run["work_queue_name"])),
                ("expected start", ClientCommand.Time(run["expected_start_time"])),
                ("start", ClientCommand.Time(run["start_time"])),
                ("end", ClientCommand.Time(run["end_time"])),
                ("run count", ClientCommand.Text(run["run_count"])),
                ("infrastructure pid", ClientCommand.Text(run["infrastructure_pid"])),
            ]);
        });

        var cancel = new Command("cancel", "Cancel a flow run: CANCELLING while its worker stops it, CANCELLED at once when nothing runs it yet.") { IdArgument() };
        cli.SetAction(cancel, async (parse, api, ct) =>
        {
            var id = IdOf(parse);
            var result = (await api.PostJsonAsync($"flow_runs/{id}/set_state", new { state = new { type = "CANCELLING", name = "Cancelling" } }, NotFound(id), ct)
                .ConfigureAwait(false))!;
            if (cli.Json(parse))
            {
                cli.WriteJson(result);
            }

            var type = result["state"]?["type"]?.ToString();
            if (type is not ("CANCELLING" or "CANCELLED"))
            {
                throw new CliException($"flow run '{id}' was not cancelled: {result["details"]?["reason"]?.ToString() ?? $"it is {result["state"]?["name"]}"}");
            }

            if (!cli.Json(parse))
            {
                cli.Console.Out.WriteLine($"Flow run '{id}' is {result["state"]?["name"]}.");
            }
        });

        var logs = new Command("logs", "Print a flow run's logs, oldest first.") { IdArgument() };
        cli.SetAction(logs, async (parse, api, ct) =>
        {
            var id = (await GetAsync(api, parse, ct).ConfigureAwait(false))["id"]!.ToString();
            var all = new JsonArray();
            for (var offset = 0; ; offset += 200)
            {
                var page = (await api.PostJsonAsync("logs/filter",
                    new { logs = new { flow_run_id = new { any_ = new[] { id } } }, sort = "TIMESTAMP_ASC", limit = 200, offset }, NotFound(id), ct).ConfigureAwait(false))!.AsArray();
                foreach (var log in page.ToArray())
                {
                    page.Remove(log);
                    all.Add(log);
                }

                if (cli.Json(parse) || all.Count % 200 != 0 || all.Count == 0)
                {
                    break;
                }
            }

            if (cli.Json(parse))
            {
                cli.WriteJson(all);
                return;
            }

            foreach (var log in all.Where(l => l is not null))
            {
                cli.Console.Out.WriteLine($"{ClientCommand.Time(log!["timestamp"])} {Level(log["level"]),-8} {log["name"]} - {log["message"]}");
            }
        });

        var delete = new Command("delete", "Delete a flow run.") { IdArgument() };
        cli.SetDeleteAction(delete, async (parse, api, ct) =>
        {
            var run = await GetAsync(api, parse, ct).ConfigureAwait(false);
            var id = run["id"]!.ToString();
            return new Deletion($"flow run '{id}' ({ClientCommand.Text(run["name"])})", run,
                c => api.CallAsync(HttpMethod.Delete, $"flow_runs/{id}", null, NotFound(id), c));
        });

        return cli.Group("flow-run", "Inspect, cancel and delete flow runs.", ls, inspect, cancel, logs, delete);
    }

    private static Argument<string> IdArgument() => new("id") { Description = "The flow run's id." };

    private static string NotFound(string id) => $"flow run '{id}' not found";

    private static string IdOf(ParseResult parse)
    {
        var id = parse.GetValue<string>("id")!;
        return Guid.TryParse(id, out _) ? id : throw new CliException($"flow run '{id}' not found: a flow run id is a UUID", 2);
    }

    private static async Task<JsonNode> GetAsync(OrleansFlowClient api, ParseResult parse, CancellationToken ct)
    {
        var id = IdOf(parse);
        return (await api.GetJsonAsync($"flow_runs/{id}", NotFound(id), ct).ConfigureAwait(false))!;
    }

    /// <summary>The filter body: runs in one of the states (<paramref name="state"/>, from <see cref="StateFilter"/>) of one of
    /// the flows named, newest expected start first.</summary>
    private static JsonObject Filter(JsonObject? state, IReadOnlyCollection<string> flowNames, int limit)
    {
        var body = new JsonObject { ["sort"] = "EXPECTED_START_TIME_DESC", ["limit"] = limit };
        if (state is not null)
        {
            body["flow_runs"] = new JsonObject { ["state"] = state };
        }

        if (flowNames.Count > 0)
        {
            body["flows"] = new JsonObject { ["name"] = new JsonObject { ["any_"] = new JsonArray([.. flowNames.Distinct().Select(n => (JsonNode)n)]) } };
        }

        return body;
    }

    private static string Level(JsonNode? level) => level?.GetValue<int>() switch
    {
        >= 50 => "CRITICAL",
        >= 40 => "ERROR",
        >= 30 => "WARNING",
        >= 20 => "INFO",
        >= 10 => "DEBUG",
        _ => ClientCommand.Text(level),
    };
}
