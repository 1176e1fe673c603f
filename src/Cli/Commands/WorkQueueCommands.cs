using System.CommandLine;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow work-queue create|ls|inspect|pause|resume|set-concurrency-limit|clear-concurrency-limit|delete</c>
/// (and <c>preview|read-runs</c>, <see cref="WorkQueueRunCommands"/>):
/// the queues of a work pool. A command on one queue without <c>--pool</c> means Prefect's default agent pool, as in
/// Prefect; <c>ls</c> without it lists the queues of every pool.</summary>
internal static class WorkQueueCommands
{
    private const string DefaultPool = "default-agent-pool";

    public static Command Create(ClientCommand cli)
    {
        var priority = new Option<int?>("--priority") { Description = "The queue's priority in its pool (1 is first; default after the others)." }
            .Check(value => value is null or >= 1, "--priority must be 1 or more.");
        var limit = new Option<int?>("--limit") { Description = "The most runs of this queue active at once (default none)." }
            .Check(value => value is null or >= 0, "The concurrency limit must be 0 or more.");
        var createPool = PoolOption();
        var create = new Command("create", "Create a work queue in a pool.") { NameArgument(), createPool, priority, limit };
        cli.SetAction(create, async (parse, api, ct) =>
        {
            var name = parse.GetValue<string>("name")!;
            var pool = parse.GetValue(createPool)!;
            var queue = await api.PostJsonAsync($"work_pools/{ClientCommand.Escape(pool)}/queues",
                new { name, priority = parse.GetValue(priority), concurrency_limit = parse.GetValue(limit) }, $"work pool '{pool}' not found", ct).ConfigureAwait(false);
            if (cli.Json(parse))
            {
                cli.WriteJson(queue);
                return;
            }

            cli.Console.Out.WriteLine($"Created work queue '{name}' in pool '{pool}' (priority {queue?["priority"]}, id {queue?["id"]}).");
        });

        var lsPool = new Option<string?>("--pool", "-p") { Description = "Only the queues of this work pool (default: the queues of every pool, with a POOL column)." };
        var match = new Option<string?>("--match", "-m") { Description = "Only queues whose name starts with this." };
        var ls = new Command("ls", "List work queues: of every pool, or of one with --pool.") { lsPool, match };
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var pool = parse.GetValue(lsPool);
            var queues = await ListAsync(api, pool, parse.GetValue(match), ct).ConfigureAwait(false);
            if (cli.WriteJsonOrNone(parse, queues, "work queues"))
            {
                return;
            }

            var poolNames = pool is null ? await PoolNamesAsync(api, queues, ct).ConfigureAwait(false) : null;
            var table = poolNames is null
                ? new Table("NAME", "PRIORITY", "PAUSED", "CONCURRENCY LIMIT", "ID")
                : new Table("NAME", "POOL", "PRIORITY", "PAUSED", "CONCURRENCY LIMIT", "ID");
            foreach (var q in queues.Where(q => q is not null)
                .OrderBy(q => poolNames?.GetValueOrDefault(q!["work_pool_id"]!.ToString(), "") ?? "", StringComparer.Ordinal)
                .ThenBy(q => q!["priority"]?.GetValue<int>() ?? int.MaxValue))
            {
                string?[] cells = [ClientCommand.Text(q!["priority"]), ClientCommand.Text(q["is_paused"]),
                    q["concurrency_limit"] is null ? "none" : ClientCommand.Text(q["concurrency_limit"]), ClientCommand.Text(q["id"])];
                table.Add(poolNames is null
                    ? [ClientCommand.Text(q["name"]), .. cells]
                    : [ClientCommand.Text(q["name"]), poolNames.GetValueOrDefault(q["work_pool_id"]!.ToString(), "?"), .. cells]);
            }

            cli.WriteTable(table);
        });

        var pausePool = PoolOption();
        var pause = new Command("pause", "Pause a work queue: workers get no runs from it.") { NameArgument(), pausePool };
        cli.SetAction(pause, (parse, api, ct) => SetPausedAsync(cli, parse, api, parse.GetValue(pausePool)!, paused: true, ct));
        var resumePool = PoolOption();
        var resume = new Command("resume", "Resume a work queue.") { NameArgument(), resumePool };
        cli.SetAction(resume, (parse, api, ct) => SetPausedAsync(cli, parse, api, parse.GetValue(resumePool)!, paused: false, ct));

        var inspectPool = PoolOption();
        var inspect = new Command("inspect", "Show a work queue.") { NameArgument(), inspectPool };
        cli.SetAction(inspect, async (parse, api, ct) =>
        {
            var (name, pool) = (parse.GetValue<string>("name")!, parse.GetValue(inspectPool)!);
            var queue = (await api.GetJsonAsync(QueuePath(pool, name), NotFound(name, pool), ct).ConfigureAwait(false))!;
            if (cli.Json(parse))
            {
                cli.WriteJson(queue);
                return;
            }

            cli.WriteFields(
            [
                ("name", ClientCommand.Text(queue["name"])),
                ("id", ClientCommand.Text(queue["id"])),
                ("pool", pool),
                ("priority", ClientCommand.Text(queue["priority"])),
                ("paused", ClientCommand.Text(queue["is_paused"])),
                ("concurrency limit", queue["concurrency_limit"] is null ? "none" : ClientCommand.Text(queue["concurrency_limit"])),
                ("status", ClientCommand.Text(queue["status"])),
                ("last polled", ClientCommand.Time(queue["last_polled"])),
                ("description", ClientCommand.Text(queue["description"])),
            ]);
        });

        var setLimitPool = PoolOption();
        var limitArgument = new Argument<int>("limit") { Description = "The most runs of this queue active at once." }
            .Check(value => value >= 0, "The concurrency limit must be 0 or more.");
        var setLimit = new Command("set-concurrency-limit", "Set a work queue's concurrency limit.") { NameArgument(), limitArgument, setLimitPool };
        cli.SetAction(setLimit, (parse, api, ct) => PatchAsync(cli, parse, api, parse.GetValue(setLimitPool)!,
            new System.Text.Json.Nodes.JsonObject { ["concurrency_limit"] = parse.GetValue(limitArgument) }, $"Set the concurrency limit to {parse.GetValue(limitArgument)} on", ct));
        var clearLimitPool = PoolOption();
        var clearLimit = new Command("clear-concurrency-limit", "Remove a work queue's concurrency limit.") { NameArgument(), clearLimitPool };
        cli.SetAction(clearLimit, (parse, api, ct) => PatchAsync(cli, parse, api, parse.GetValue(clearLimitPool)!,
            new System.Text.Json.Nodes.JsonObject { ["concurrency_limit"] = null }, "Removed the concurrency limit of", ct));

        var deletePool = PoolOption();
        var delete = new Command("delete", "Delete a work queue (not a pool's default queue).") { NameArgument(), deletePool };
        cli.SetDeleteAction(delete, async (parse, api, ct) =>
        {
            var (name, pool) = (parse.GetValue<string>("name")!, parse.GetValue(deletePool)!);
            var queue = (await api.GetJsonAsync(QueuePath(pool, name), NotFound(name, pool), ct).ConfigureAwait(false))!;
            return new Deletion($"work queue '{name}' of pool '{pool}'", queue, c => api.CallAsync(HttpMethod.Delete, QueuePath(pool, name), null, NotFound(name, pool), c));
        });

        return cli.Group("work-queue", "Manage the work queues of a pool.", create, ls, inspect, pause, resume, setLimit, clearLimit, delete,
            WorkQueueRunCommands.Preview(cli), WorkQueueRunCommands.ReadRuns(cli));
    }

    /// <summary>Every queue of <paramref name="pool"/>, or of every pool when it is null, page by page; only those whose name
    /// starts with <paramref name="prefix"/> when one is given.</summary>
    private static async Task<JsonArray> ListAsync(OrleansFlowClient api, string? pool, string? prefix, CancellationToken ct)
    {
        const int Page = 200;
        var path = pool is null ? "work_queues/filter" : $"work_pools/{ClientCommand.Escape(pool)}/queues/filter";
        var all = new JsonArray();
        for (var offset = 0; ; offset += Page)
        {
            var body = new JsonObject { ["limit"] = Page, ["offset"] = offset };
            if (prefix is not null)
            {
                body["work_queues"] = new JsonObject { ["name"] = new JsonObject { ["startswith_"] = prefix } };
            }

            var page = (await api.PostJsonAsync(path, body, $"work pool '{pool}' not found", ct).ConfigureAwait(false))!.AsArray();
            var count = page.Count;
            foreach (var queue in page.ToArray())
            {
                page.Remove(queue);
                all.Add(queue);
            }

            if (count < Page)
            {
                return all;
            }
        }
    }

    /// <summary>The names of the pools the queues belong to, by pool id.</summary>
    private static async Task<Dictionary<string, string>> PoolNamesAsync(OrleansFlowClient api, JsonArray queues, CancellationToken ct)
    {
        var ids = queues.Where(q => q is not null).Select(q => q!["work_pool_id"]!.ToString()).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var pools = (await api.PostJsonAsync("work_pools/filter", new { work_pools = new { id = new { any_ = ids } } }, "work pools not found", ct).ConfigureAwait(false))!.AsArray();
        return pools.Where(p => p is not null).ToDictionary(p => p!["id"]!.ToString(), p => p!["name"]!.ToString());
    }

    internal static string QueuePath(string pool, string name) => $"work_pools/{ClientCommand.Escape(pool)}/queues/{ClientCommand.Escape(name)}";

    internal static string NotFound(string name, string pool) => $"work queue '{name}' not found in pool '{pool}'";

    private static async Task PatchAsync(ClientCommand cli, ParseResult parse, OrleansFlowClient api, string pool, System.Text.Json.Nodes.JsonObject body, string done,
        CancellationToken ct)
    {
        var name = parse.GetValue<string>("name")!;
        await api.CallAsync(HttpMethod.Patch, QueuePath(pool, name), body, NotFound(name, pool), ct).ConfigureAwait(false);
        if (cli.Json(parse))
        {
            cli.WriteJson(await api.GetJsonAsync(QueuePath(pool, name), NotFound(name, pool), ct).ConfigureAwait(false));
            return;
        }

        cli.Console.Out.WriteLine($"{done} work queue '{name}' in pool '{pool}'.");
    }

    internal static Argument<string> NameArgument() => new("name") { Description = "The work queue's name." };

    internal static Option<string> PoolOption() => new("--pool", "-p")
    {
        Description = $"The work pool (default {DefaultPool}, where Prefect's agents' queues live).",
        DefaultValueFactory = _ => DefaultPool,
    };

    private static Task SetPausedAsync(ClientCommand cli, ParseResult parse, OrleansFlowClient api, string pool, bool paused, CancellationToken ct) =>
        PatchAsync(cli, parse, api, pool, new System.Text.Json.Nodes.JsonObject { ["is_paused"] = paused }, paused ? "Paused" : "Resumed", ct);
}
