using System.CommandLine;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow work-pool create|ls|inspect|pause|resume|set-concurrency-limit|clear-concurrency-limit|delete</c>.</summary>
internal static class WorkPoolCommands
{
    public static Command Create(ClientCommand cli)
    {
        var type = new Option<string>("--type", "-t") { Description = "The worker type (default process).", DefaultValueFactory = _ => "process" };
        var create = new Command("create", "Create a work pool.") { NameArgument(), type };
        cli.SetAction(create, async (parse, api, ct) =>
        {
            var name = parse.GetValue<string>("name")!;
            var pool = await api.PostJsonAsync("work_pools/", new { name, type = parse.GetValue(type) }, $"work pool '{name}' not found", ct).ConfigureAwait(false);
            if (cli.Json(parse))
            {
                cli.WriteJson(pool);
                return;
            }

            cli.Console.Out.WriteLine($"Created work pool '{name}' ({pool?["type"]}, id {pool?["id"]}).");
        });

        var ls = new Command("ls", "List work pools.");
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var pools = (await api.PostJsonAsync("work_pools/filter", new { }, "work pools not found", ct).ConfigureAwait(false))!.AsArray();
            if (cli.WriteJsonOrNone(parse, pools, "work pools"))
            {
                return;
            }

            var table = new Table("NAME", "TYPE", "STATUS", "PAUSED", "CONCURRENCY LIMIT", "ID");
            foreach (var p in pools.Where(p => p is not null))
            {
                table.Add(ClientCommand.Text(p!["name"]), ClientCommand.Text(p["type"]), ClientCommand.Text(p["status"]), ClientCommand.Text(p["is_paused"]),
                    p["concurrency_limit"] is null ? "none" : ClientCommand.Text(p["concurrency_limit"]), ClientCommand.Text(p["id"]));
            }

            cli.WriteTable(table);
        });

        var inspect = new Command("inspect", "Show a work pool.") { NameArgument() };
        cli.SetAction(inspect, async (parse, api, ct) =>
        {
            var name = parse.GetValue<string>("name")!;
            var pool = (await api.GetJsonAsync(PoolPath(name), NotFound(name), ct).ConfigureAwait(false))!;
            if (cli.Json(parse))
            {
                cli.WriteJson(pool);
                return;
            }

            cli.WriteFields(
            [
                ("name", ClientCommand.Text(pool["name"])),
                ("id", ClientCommand.Text(pool["id"])),
                ("type", ClientCommand.Text(pool["type"])),
                ("description", ClientCommand.Text(pool["description"])),
                ("status", ClientCommand.Text(pool["status"])),
                ("paused", ClientCommand.Text(pool["is_paused"])),
                ("concurrency limit", pool["concurrency_limit"] is null ? "none" : ClientCommand.Text(pool["concurrency_limit"])),
                ("default queue id", ClientCommand.Text(pool["default_queue_id"])),
                ("base job template", ClientCommand.Text(pool["base_job_template"])),
                ("created", ClientCommand.Time(pool["created"])),
            ]);
        });

        var pause = new Command("pause", "Pause a work pool: workers get no runs from it.") { NameArgument() };
        cli.SetAction(pause, (parse, api, ct) => PatchAsync(cli, parse, api, new { is_paused = true }, "Paused", ct));
        var resume = new Command("resume", "Resume a work pool.") { NameArgument() };
        cli.SetAction(resume, (parse, api, ct) => PatchAsync(cli, parse, api, new { is_paused = false }, "Resumed", ct));

        var limit = new Argument<int>("limit") { Description = "The most runs the pool's workers run at once." }
            .Check(value => value >= 0, "The concurrency limit must be 0 or more.");
        var setLimit = new Command("set-concurrency-limit", "Set a work pool's concurrency limit.") { NameArgument(), limit };
        cli.SetAction(setLimit, (parse, api, ct) =>
            PatchAsync(cli, parse, api, new { concurrency_limit = parse.GetValue(limit) }, $"Set the concurrency limit to {parse.GetValue(limit)} on", ct));

        var clearLimit = new Command("clear-concurrency-limit", "Remove a work pool's concurrency limit.") { NameArgument() };
        cli.SetAction(clearLimit, (parse, api, ct) =>
            PatchAsync(cli, parse, api, new System.Text.Json.Nodes.JsonObject { ["concurrency_limit"] = null }, "Removed the concurrency limit of", ct));

        var delete = new Command("delete", "Delete a work pool.") { NameArgument() };
        cli.SetDeleteAction(delete, async (parse, api, ct) =>
        {
            var name = parse.GetValue<string>("name")!;
            var pool = (await api.GetJsonAsync(PoolPath(name), NotFound(name), ct).ConfigureAwait(false))!;
            return new Deletion($"work pool '{name}'", pool, c => api.CallAsync(HttpMethod.Delete, PoolPath(name), null, NotFound(name), c));
        });

        return cli.Group("work-pool", "Manage work pools.", create, ls, inspect, pause, resume, setLimit, clearLimit, delete);
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The work pool's name." };

    private static string NotFound(string name) => $"work pool '{name}' not found";

    private static string PoolPath(string name) => $"work_pools/{ClientCommand.Escape(name)}";

    private static async Task PatchAsync(ClientCommand cli, ParseResult parse, OrleansFlowClient api, object body, string done, CancellationToken ct)
    {
        var name = parse.GetValue<string>("name")!;
        await api.CallAsync(HttpMethod.Patch, PoolPath(name), body, NotFound(name), ct).ConfigureAwait(false);
        if (cli.Json(parse))
        {
            cli.WriteJson(await api.GetJsonAsync(PoolPath(name), NotFound(name), ct).ConfigureAwait(false));
            return;
        }

        cli.Console.Out.WriteLine($"{done} work pool '{name}'.");
    }
}
