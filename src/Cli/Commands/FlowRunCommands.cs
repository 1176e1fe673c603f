using System.CommandLine;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow flow-run ls|inspect|cancel|logs|delete</c>.</summary>
internal static class FlowRunCommands
{
    private static readonly string[] StateTypes = ["SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "CANCELLING", "CRASHED", "PAUSED"];

    /// <summary>The names the server gives a flow run's states beyond its type's own (<c>Late</c> is a SCHEDULED run past
    /// its time, <c>Retrying</c> a RUNNING one after a retry...).</summary>
    private static readonly string[] StateNames = ["Late", "AwaitingRetry", "Retrying", "Cached", "Suspended", "Resuming"];

    public static Command Create(ClientCommand cli)
    {
        var state = new Option<string[]>("--state", "-s")
        {
            Description = "Only runs in this state: a type (RUNNING, FAILED...) or a state name (Late, Retrying...), in any case; repeat for runs in any of several.",
            AllowMultipleArgumentsPerToken = false,
        };
        state.Validators.Add(result =>
        {
            foreach (var bad in result.Tokens.Select(t => t.Value).Where(v => StateOf(v) is null))
            {
                result.AddError($"--state: '{bad}' is not a state type ({string.Join(", ", StateTypes)}) or a state name ({string.Join(", ", StateNames)}).");
            }
        });
        var limit = new Option<int>("--limit", "-n") { Description = "The most runs to list, newest expected start first (default 20, at most 200).", DefaultValueFactory = _ => 20 }
            .Check(value => value is >= 1 and <= 200, "--limit must be between 1 and 200.");
        var ls = new Command("ls", "List flow runs.") { state, limit };
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var runs = (await api.PostJsonAsync("flow_runs/filter", Filter(parse.GetValue(state) ?? [], parse.GetValue(limit)), "flow runs not found", ct).ConfigureAwait(false))!.AsArray();
            if (cli.Json(parse))
            {
                cli.WriteJson(runs);
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

    /// <summary>The filter body: a run matches when its state's type is one of the types given or its state's name one of
    /// the names given (<c>FAILED</c> and <c>Late</c> together are either, not both).</summary>
    internal static JsonObject Filter(IReadOnlyCollection<string> states, int limit)
    {
        var body = new JsonObject { ["sort"] = "EXPECTED_START_TIME_DESC", ["limit"] = limit };
        if (states.Count == 0)
        {
            return body;
        }

        var parsed = states.Select(s => StateOf(s) ?? throw new ArgumentException($"'{s}' is not a state type or name", nameof(states))).ToArray();
        var types = parsed.Where(p => p.Type is not null).Select(p => p.Type!).Distinct().Select(t => (JsonNode)t).ToArray();
        var names = parsed.Where(p => p.Name is not null).Select(p => p.Name!).Distinct().Select(n => (JsonNode)n).ToArray();
        var stateFilter = new JsonObject { ["operator"] = "or_" };
        if (types.Length > 0)
        {
            stateFilter["type"] = new JsonObject { ["any_"] = new JsonArray(types) };
        }

        if (names.Length > 0)
        {
            stateFilter["name"] = new JsonObject { ["any_"] = new JsonArray(names) };
        }

        body["flow_runs"] = new JsonObject { ["state"] = stateFilter };
        return body;
    }

    /// <summary>The state type <paramref name="state"/> names, or else the state name it spells in any case; null when it is
    /// neither.</summary>
    private static (string? Type, string? Name)? StateOf(string state)
    {
        var type = StateTypes.FirstOrDefault(t => string.Equals(t, state, StringComparison.OrdinalIgnoreCase));
        if (type is not null)
        {
            return (type, null);
        }

        var name = StateNames.FirstOrDefault(n => string.Equals(n, state, StringComparison.OrdinalIgnoreCase));
        return name is null ? null : (null, name);
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
