using System.CommandLine;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow global-concurrency-limit create|ls|inspect|update|enable|disable|delete</c> (alias <c>gcl</c>):
/// named limits that code takes slots of, as Prefect's <c>prefect global-concurrency-limit</c>.</summary>
internal static class GlobalConcurrencyLimitCommands
{
    public static Command Create(ClientCommand cli)
    {
        var createLimit = LimitOption(required: true);
        var createDecay = DecayOption();
        var disable = new Option<bool>("--disable") { Description = "Create it inactive (it limits nothing until enabled)." };
        var create = new Command("create", "Create a global concurrency limit.") { NameArgument(), createLimit, createDecay, disable };
        cli.SetAction(create, async (parse, api, ct) =>
        {
            var name = parse.GetValue<string>("name")!;
            var body = new JsonObject { ["name"] = name, ["limit"] = parse.GetValue(createLimit), ["active"] = !parse.GetValue(disable) };
            if (parse.GetValue(createDecay) is { } decay)
            {
                body["slot_decay_per_second"] = decay;
            }

            var created = await api.PostJsonAsync("v2/concurrency_limits/", body, NotFound(name), ct).ConfigureAwait(false);
            if (cli.Json(parse))
            {
                cli.WriteJson(created);
                return;
            }

            cli.Console.Out.WriteLine($"Created global concurrency limit '{name}' with {parse.GetValue(createLimit)} slots (id {created?["id"]}).");
        });

        var ls = new Command("ls", "List global concurrency limits.");
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var limits = (await api.PostJsonAsync("v2/concurrency_limits/filter", new { }, "concurrency limits not found", ct).ConfigureAwait(false))!.AsArray();
            if (cli.WriteJsonOrNone(parse, limits, "global concurrency limits"))
            {
                return;
            }

            var table = new Table("NAME", "ACTIVE", "LIMIT", "SLOTS IN USE", "DECAY/S", "ID");
            foreach (var l in limits.Where(l => l is not null))
            {
                table.Add(ClientCommand.Text(l!["name"]), ClientCommand.Text(l["active"]), ClientCommand.Text(l["limit"]), ClientCommand.Text(l["active_slots"]),
                    ClientCommand.Text(l["slot_decay_per_second"]), ClientCommand.Text(l["id"]));
            }

            cli.WriteTable(table);
        });

        var inspect = new Command("inspect", "Show a global concurrency limit.") { NameArgument() };
        cli.SetAction(inspect, async (parse, api, ct) =>
        {
            var name = parse.GetValue<string>("name")!;
            var found = (await api.GetJsonAsync(NamePath(name), NotFound(name), ct).ConfigureAwait(false))!;
            if (cli.Json(parse))
            {
                cli.WriteJson(found);
                return;
            }

            cli.WriteFields(
            [
                ("name", ClientCommand.Text(found["name"])),
                ("id", ClientCommand.Text(found["id"])),
                ("active", ClientCommand.Text(found["active"])),
                ("limit", ClientCommand.Text(found["limit"])),
                ("slots in use", ClientCommand.Text(found["active_slots"])),
                ("denied slots", ClientCommand.Text(found["denied_slots"])),
                ("slot decay per second", ClientCommand.Text(found["slot_decay_per_second"])),
                ("created", ClientCommand.Time(found["created"])),
            ]);
        });

        var updateLimit = LimitOption(required: false);
        var updateDecay = DecayOption();
        var activeSlots = new Option<int?>("--active-slots") { Description = "Set the number of slots in use (0 frees them all)." }
            .Check(value => value is null or >= 0, "--active-slots must be 0 or more.");
        var updateEnable = new Option<bool>("--enable") { Description = "Make it active." };
        var updateDisable = new Option<bool>("--disable") { Description = "Make it inactive (it limits nothing until enabled)." };
        var update = new Command("update", "Change a global concurrency limit: its slots, slots in use, decay, or whether it is active.")
        {
            NameArgument(), updateLimit, activeSlots, updateDecay, updateEnable, updateDisable,
        };
        update.Validators.Add(result =>
        {
            if (result.GetValue(updateEnable) && result.GetValue(updateDisable))
            {
                result.AddError("--enable and --disable: give one or the other, not both.");
            }
        });
        cli.SetAction(update, async (parse, api, ct) =>
        {
            var body = new JsonObject();
            if (parse.GetValue(updateEnable) || parse.GetValue(updateDisable))
            {
                body["active"] = parse.GetValue(updateEnable);
            }

            if (parse.GetValue(updateLimit) is { } slots)
            {
                body["limit"] = slots;
            }

            if (parse.GetValue(activeSlots) is { } inUse)
            {
                body["active_slots"] = inUse;
            }

            if (parse.GetValue(updateDecay) is { } decay)
            {
                body["slot_decay_per_second"] = decay;
            }

            if (body.Count == 0)
            {
                throw new CliException("nothing to update: give --limit, --active-slots, --slot-decay-per-second, --enable or --disable");
            }

            await PatchAsync(cli, parse, api, body, "Updated", ct).ConfigureAwait(false);
        });

        var enable = new Command("enable", "Make a global concurrency limit active.") { NameArgument() };
        cli.SetAction(enable, (parse, api, ct) => PatchAsync(cli, parse, api, new JsonObject { ["active"] = true }, "Enabled", ct));
        var disableCommand = new Command("disable", "Make a global concurrency limit inactive (it limits nothing).") { NameArgument() };
        cli.SetAction(disableCommand, (parse, api, ct) => PatchAsync(cli, parse, api, new JsonObject { ["active"] = false }, "Disabled", ct));

        var delete = new Command("delete", "Delete a global concurrency limit.") { NameArgument() };
        cli.SetDeleteAction(delete, async (parse, api, ct) =>
        {
            var name = parse.GetValue<string>("name")!;
            var found = (await api.GetJsonAsync(NamePath(name), NotFound(name), ct).ConfigureAwait(false))!;
            return new Deletion($"global concurrency limit '{name}'", found, c => api.CallAsync(HttpMethod.Delete, NamePath(name), null, NotFound(name), c));
        });

        var group = cli.Group("global-concurrency-limit", "Manage global concurrency limits.", create, ls, inspect, update, enable, disableCommand, delete);
        group.Aliases.Add("gcl");
        return group;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The limit's name." };

    private static Option<int?> LimitOption(bool required) => new Option<int?>("--limit", "-l")
    {
        Description = "The number of slots.",
        Required = required,
    }.Check(value => value is null or >= 0, "The limit must be 0 or more.");

    private static Option<double?> DecayOption() => new Option<double?>("--slot-decay-per-second")
    {
        Description = "Slots given back per second (a rate limit); 0 gives them back only when released.",
    }.Check(value => value is null || (double.IsFinite(value.Value) && value >= 0), "The slot decay must be a number, 0 or more.");

    private static string NamePath(string name) => $"v2/concurrency_limits/{ClientCommand.Escape(name)}";

    private static string NotFound(string name) => $"global concurrency limit '{name}' not found";

    private static async Task PatchAsync(ClientCommand cli, ParseResult parse, OrleansFlowClient api, JsonObject body, string done, CancellationToken ct)
    {
        var name = parse.GetValue<string>("name")!;
        await api.CallAsync(HttpMethod.Patch, NamePath(name), body, NotFound(name), ct).ConfigureAwait(false);
        if (cli.Json(parse))
        {
            cli.WriteJson(await api.GetJsonAsync(NamePath(name), NotFound(name), ct).ConfigureAwait(false));
            return;
        }

        cli.Console.Out.WriteLine($"{done} global concurrency limit '{name}'.");
    }
}
