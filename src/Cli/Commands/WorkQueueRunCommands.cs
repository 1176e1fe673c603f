using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow work-queue preview|read-runs</c>, as Prefect 2.20's: the scheduled runs a queue holds, looked at
/// without handing them out (<c>preview</c>), or read as a worker's poll reads them (<c>read-runs</c>: the queue is marked
/// polled and the runs read are claimed as a poll claims them, so no worker gets them for the next 30 seconds).</summary>
internal static class WorkQueueRunCommands
{
    public static Command Preview(ClientCommand cli)
    {
        var pool = WorkQueueCommands.PoolOption();
        var hours = new Option<int>("--hours", "-h") { Description = "How many hours ahead to look (default 1).", DefaultValueFactory = _ => 1 }
            .Check(value => value >= 1, "--hours must be 1 or more.");
        var preview = new Command("preview", "List the scheduled runs a work queue will hand out in the next hours (late ones first).")
        {
            WorkQueueCommands.NameArgument(), pool, hours,
        };
        cli.SetAction(preview, async (parse, api, ct) =>
        {
            var (name, poolName) = (parse.GetValue<string>("name")!, parse.GetValue(pool)!);
            await api.GetJsonAsync(WorkQueueCommands.QueuePath(poolName, name), WorkQueueCommands.NotFound(name, poolName), ct).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            var before = now.AddHours(parse.GetValue(hours)).ToString("O", CultureInfo.InvariantCulture);
            var body = new JsonObject
            {
                ["flow_runs"] = new JsonObject
                {
                    ["state"] = new JsonObject { ["type"] = new JsonObject { ["any_"] = new JsonArray("SCHEDULED") } },
                    ["expected_start_time"] = new JsonObject { ["before_"] = before },
                },
                ["work_pools"] = new JsonObject { ["name"] = new JsonObject { ["any_"] = new JsonArray(poolName) } },
                ["work_pool_queues"] = new JsonObject { ["name"] = new JsonObject { ["any_"] = new JsonArray(name) } },
                ["sort"] = "EXPECTED_START_TIME_ASC",
            };
            var runs = (await api.PostJsonAsync("flow_runs/filter", body, WorkQueueCommands.NotFound(name, poolName), ct).ConfigureAwait(false))!.AsArray();
            if (cli.Json(parse))
            {
                cli.WriteJson(runs);
                return;
            }

            if (runs.Count == 0)
            {
                cli.Console.Out.WriteLine($"No runs scheduled in the next {parse.GetValue(hours)} hour(s); look further ahead with --hours.");
                return;
            }

            WriteRuns(cli, runs, now);
        });
        return preview;
    }

    public static Command ReadRuns(ClientCommand cli)
    {
        var pool = WorkQueueCommands.PoolOption();
        var readRuns = new Command("read-runs", "Read a work queue's due runs as a worker's poll does: the queue is marked polled and workers do not get those runs for 30 s.")
        {
            WorkQueueCommands.NameArgument(), pool,
        };
        cli.SetAction(readRuns, async (parse, api, ct) =>
        {
            var (name, poolName) = (parse.GetValue<string>("name")!, parse.GetValue(pool)!);
            var queue = (await api.GetJsonAsync(WorkQueueCommands.QueuePath(poolName, name), WorkQueueCommands.NotFound(name, poolName), ct).ConfigureAwait(false))!;
            var runs = (await api.PostJsonAsync($"work_queues/{queue["id"]}/get_runs", new { }, WorkQueueCommands.NotFound(name, poolName), ct).ConfigureAwait(false))!.AsArray();
            if (cli.Json(parse))
            {
                cli.WriteJson(runs);
                return;
            }

            cli.Console.Out.WriteLine($"Read {runs.Count} run(s) of work queue '{name}' in pool '{poolName}'.");
            if (runs.Count > 0)
            {
                WriteRuns(cli, runs, DateTimeOffset.UtcNow);
            }
        });
        return readRuns;
    }

    private static void WriteRuns(ClientCommand cli, JsonArray runs, DateTimeOffset now)
    {
        var table = new Table("SCHEDULED START", "RUN ID", "NAME", "DEPLOYMENT ID");
        foreach (var r in runs.Where(r => r is not null))
        {
            var late = DateTimeOffset.TryParse(r!["expected_start_time"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start) && start < now;
            table.Add(ClientCommand.Time(r["expected_start_time"]) + (late ? " (late)" : ""), ClientCommand.Text(r["id"]), ClientCommand.Text(r["name"]),
                ClientCommand.Text(r["deployment_id"]));
        }

        cli.WriteTable(table);
    }
}
