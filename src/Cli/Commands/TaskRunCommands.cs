using System.CommandLine;
using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow task-run ls|inspect</c>, as Prefect 2.20's <c>prefect task-run</c>.</summary>
internal static class TaskRunCommands
{
    public static Command Create(ClientCommand cli)
    {
        var states = new StateFilter("task runs");
        var names = new Option<string[]>("--task-run-name")
        {
            Description = "Only task runs of this name (repeat for any of several).",
            AllowMultipleArgumentsPerToken = false,
        };
        var limit = ClientCommand.LimitOption("task runs, newest expected start first", 15);
        var ls = new Command("ls", "List task runs.") { names, states.State, states.StateType, limit };
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var conditions = new JsonObject();
            if (parse.GetValue(names) is { Length: > 0 } given)
            {
                conditions["name"] = new JsonObject { ["any_"] = new JsonArray([.. given.Distinct().Select(n => (JsonNode)n)]) };
            }

            if (states.Condition(parse) is { } state)
            {
                conditions["state"] = state;
            }

            var body = new JsonObject { ["sort"] = "EXPECTED_START_TIME_DESC", ["limit"] = parse.GetValue(limit), ["task_runs"] = conditions };
            var runs = (await api.PostJsonAsync("task_runs/filter", body, "task runs not found", ct).ConfigureAwait(false))!.AsArray();
            if (cli.WriteJsonOrNone(parse, runs, "task runs"))
            {
                return;
            }

            var table = new Table("ID", "NAME", "FLOW RUN", "STATE", "WHEN");
            foreach (var r in runs.Where(r => r is not null))
            {
                table.Add(ClientCommand.Text(r!["id"]), ClientCommand.Text(r["name"]), ClientCommand.Text(r["flow_run_id"]), ClientCommand.Text(r["state"]?["name"]),
                    ClientCommand.Time(r["state"]?["type"]?.ToString() == "SCHEDULED" ? r["state"]?["state_details"]?["scheduled_time"] : r["state"]?["timestamp"]));
            }

            cli.WriteTable(table);
        });

        var id = new Argument<Guid>("id") { Description = "The task run's id." };
        var inspect = new Command("inspect", "Show a task run.") { id };
        cli.SetAction(inspect, async (parse, api, ct) =>
        {
            var runId = parse.GetValue(id);
            var run = (await api.GetJsonAsync($"task_runs/{runId}", $"task run '{runId}' not found", ct).ConfigureAwait(false))!;
            if (cli.Json(parse))
            {
                cli.WriteJson(run);
                return;
            }

            cli.WriteFields(
            [
                ("id", ClientCommand.Text(run["id"])),
                ("name", ClientCommand.Text(run["name"])),
                ("task key", ClientCommand.Text(run["task_key"])),
                ("flow run id", ClientCommand.Text(run["flow_run_id"])),
                ("state", $"{run["state"]?["name"]} ({run["state"]?["type"]})"),
                ("state message", ClientCommand.Text(run["state"]?["message"])),
                ("tags", ClientCommand.Text(run["tags"])),
                ("cache key", ClientCommand.Text(run["cache_key"])),
                ("expected start", ClientCommand.Time(run["expected_start_time"])),
                ("start", ClientCommand.Time(run["start_time"])),
                ("end", ClientCommand.Time(run["end_time"])),
                ("run count", ClientCommand.Text(run["run_count"])),
            ]);
        });

        return cli.Group("task-run", "List and inspect task runs.", ls, inspect);
    }
}
