using System.CommandLine;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow concurrency-limit create|ls|inspect|reset|delete</c>: tag limits (a task run with the tag holds
/// one of its slots while it runs), as Prefect's <c>prefect concurrency-limit</c>.</summary>
internal static class ConcurrencyLimitCommands
{
    public static Command Create(ClientCommand cli)
    {
        var limit = new Argument<int>("limit") { Description = "The most task runs with the tag that run at once." }
            .Check(value => value >= 0, "The concurrency limit must be 0 or more.");
        var create = new Command("create", "Create a tag's concurrency limit, or change it.") { TagArgument(), limit };
        cli.SetAction(create, async (parse, api, ct) =>
        {
            var tag = parse.GetValue<string>("tag")!;
            var created = await api.PostJsonAsync("concurrency_limits/", new { tag, concurrency_limit = parse.GetValue(limit) }, NotFound(tag), ct).ConfigureAwait(false);
            if (cli.Json(parse))
            {
                cli.WriteJson(created);
                return;
            }

            cli.Console.Out.WriteLine($"Set the concurrency limit of tag '{tag}' to {parse.GetValue(limit)} (id {created?["id"]}).");
        });

        var ls = new Command("ls", "List tag concurrency limits.");
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var limits = (await api.PostJsonAsync("concurrency_limits/filter", new { }, "concurrency limits not found", ct).ConfigureAwait(false))!.AsArray();
            if (cli.WriteJsonOrNone(parse, limits, "concurrency limits"))
            {
                return;
            }

            var table = new Table("TAG", "LIMIT", "SLOTS IN USE", "ID");
            foreach (var l in limits.Where(l => l is not null))
            {
                table.Add(ClientCommand.Text(l!["tag"]), ClientCommand.Text(l["concurrency_limit"]), (l["active_slots"] as System.Text.Json.Nodes.JsonArray)?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0",
                    ClientCommand.Text(l["id"]));
            }

            cli.WriteTable(table);
        });

        var inspect = new Command("inspect", "Show a tag's concurrency limit and the task runs holding its slots.") { TagArgument() };
        cli.SetAction(inspect, async (parse, api, ct) =>
        {
            var tag = parse.GetValue<string>("tag")!;
            var found = (await api.GetJsonAsync(TagPath(tag), NotFound(tag), ct).ConfigureAwait(false))!;
            if (cli.Json(parse))
            {
                cli.WriteJson(found);
                return;
            }

            cli.WriteFields(
            [
                ("tag", ClientCommand.Text(found["tag"])),
                ("id", ClientCommand.Text(found["id"])),
                ("limit", ClientCommand.Text(found["concurrency_limit"])),
                ("held by", found["active_slots"] is System.Text.Json.Nodes.JsonArray { Count: > 0 } slots ? ClientCommand.Text(slots) : "none"),
                ("created", ClientCommand.Time(found["created"])),
            ]);
        });

        var reset = new Command("reset", "Free every slot of a tag's limit (the task runs holding one keep running).") { TagArgument() };
        cli.SetAction(reset, async (parse, api, ct) =>
        {
            var tag = parse.GetValue<string>("tag")!;
            await api.PostJsonAsync(TagPath(tag) + "/reset", new { }, NotFound(tag), ct).ConfigureAwait(false);
            if (cli.Json(parse))
            {
                cli.WriteJson(await api.GetJsonAsync(TagPath(tag), NotFound(tag), ct).ConfigureAwait(false));
                return;
            }

            cli.Console.Out.WriteLine($"Reset the concurrency limit of tag '{tag}'.");
        });

        var delete = new Command("delete", "Delete a tag's concurrency limit.") { TagArgument() };
        cli.SetDeleteAction(delete, async (parse, api, ct) =>
        {
            var tag = parse.GetValue<string>("tag")!;
            var found = (await api.GetJsonAsync(TagPath(tag), NotFound(tag), ct).ConfigureAwait(false))!;
            return new Deletion($"the concurrency limit of tag '{tag}'", found, c => api.CallAsync(HttpMethod.Delete, TagPath(tag), null, NotFound(tag), c));
        });

        return cli.Group("concurrency-limit", "Manage tag concurrency limits.", create, ls, inspect, reset, delete);
    }

    private static Argument<string> TagArgument() => new("tag") { Description = "The tag." };

    private static string TagPath(string tag) => $"concurrency_limits/tag/{ClientCommand.Escape(tag)}";

    private static string NotFound(string tag) => $"no concurrency limit on tag '{tag}'";
}
