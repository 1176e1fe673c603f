using System.CommandLine;
using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow variable ls|inspect|get|set|unset</c>: named values that flows read at run time, as Prefect's
/// <c>prefect variable</c>.</summary>
internal static class VariableCommands
{
    public static Command Create(ClientCommand cli)
    {
        var limit = ClientCommand.LimitOption("variables", 100);
        var ls = new Command("ls", "List variables, by name.") { limit };
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var variables = (await api.PostJsonAsync("variables/filter", new { sort = "NAME_ASC", limit = parse.GetValue(limit) }, "variables not found", ct).ConfigureAwait(false))!.AsArray();
            if (cli.WriteJsonOrNone(parse, variables, "variables"))
            {
                return;
            }

            var table = new Table("NAME", "VALUE", "TAGS", "UPDATED");
            foreach (var v in variables.Where(v => v is not null))
            {
                table.Add(ClientCommand.Text(v!["name"]), ClientCommand.Text(v["value"]), ClientCommand.Text(v["tags"]), ClientCommand.Time(v["updated"]));
            }

            cli.WriteTable(table);
        });

        var inspect = new Command("inspect", "Show a variable.") { NameArgument() };
        cli.SetAction(inspect, async (parse, api, ct) =>
        {
            var name = parse.GetValue<string>("name")!;
            var variable = (await api.GetJsonAsync(NamePath(name), NotFound(name), ct).ConfigureAwait(false))!;
            if (cli.Json(parse))
            {
                cli.WriteJson(variable);
                return;
            }

            cli.WriteFields(
            [
                ("name", ClientCommand.Text(variable["name"])),
                ("id", ClientCommand.Text(variable["id"])),
                ("value", ClientCommand.Text(variable["value"])),
                ("tags", ClientCommand.Text(variable["tags"])),
                ("created", ClientCommand.Time(variable["created"])),
                ("updated", ClientCommand.Time(variable["updated"])),
            ]);
        });

        var get = new Command("get", "Print a variable's value (alone, for scripts).") { NameArgument() };
        cli.SetAction(get, async (parse, api, ct) =>
        {
            var name = parse.GetValue<string>("name")!;
            var variable = (await api.GetJsonAsync(NamePath(name), NotFound(name), ct).ConfigureAwait(false))!;
            if (cli.Json(parse))
            {
                // The value alone, as JSON: a script reads "text", 42 or {"a": 1} with its type.
                cli.WriteJson(variable["value"]);
                return;
            }

            cli.Console.Out.WriteLine(ClientCommand.Text(variable["value"]));
        });

        var value = new Argument<string>("value") { Description = "The value (text)." };
        var tags = new Option<string[]>("--tag") { Description = "A tag (repeat for more); with --overwrite, replaces the tags.", AllowMultipleArgumentsPerToken = false };
        var overwrite = new Option<bool>("--overwrite") { Description = "Change the variable if it exists (otherwise that is an error)." };
        var set = new Command("set", "Create a variable, or change it with --overwrite.") { NameArgument(), value, tags, overwrite };
        cli.SetAction(set, async (parse, api, ct) =>
        {
            var name = parse.GetValue<string>("name")!;
            var tagList = new JsonArray([.. (parse.GetValue(tags) ?? []).Select(t => (JsonNode)t)]);
            if (parse.GetValue(overwrite) && await ExistsAsync(api, name, ct).ConfigureAwait(false))
            {
                var change = new JsonObject { ["value"] = parse.GetValue(value) };
                if (tagList.Count > 0)
                {
                    change["tags"] = tagList;
                }

                await api.CallAsync(HttpMethod.Patch, NamePath(name), change, NotFound(name), ct).ConfigureAwait(false);
                if (cli.Json(parse))
                {
                    cli.WriteJson(await api.GetJsonAsync(NamePath(name), NotFound(name), ct).ConfigureAwait(false));
                    return;
                }

                cli.Console.Out.WriteLine($"Changed variable '{name}'.");
                return;
            }

            var created = await api.PostJsonAsync("variables/", new JsonObject { ["name"] = name, ["value"] = parse.GetValue(value), ["tags"] = tagList }, NotFound(name), ct)
                .ConfigureAwait(false);
            if (cli.Json(parse))
            {
                cli.WriteJson(created);
                return;
            }

            cli.Console.Out.WriteLine($"Created variable '{name}'.");
        });

        var unset = new Command("unset", "Delete a variable.") { NameArgument() };
        unset.Aliases.Add("delete");
        cli.SetDeleteAction(unset, async (parse, api, ct) =>
        {
            var name = parse.GetValue<string>("name")!;
            var variable = (await api.GetJsonAsync(NamePath(name), NotFound(name), ct).ConfigureAwait(false))!;
            return new Deletion($"variable '{name}'", variable, c => api.CallAsync(HttpMethod.Delete, NamePath(name), null, NotFound(name), c));
        });

        return cli.Group("variable", "Manage variables.", ls, inspect, get, set, unset);
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The variable's name." };

    private static string NamePath(string name) => $"variables/name/{ClientCommand.Escape(name)}";

    private static string NotFound(string name) => $"variable '{name}' not found";

    private static async Task<bool> ExistsAsync(OrleansFlow.Client.OrleansFlowClient api, string name, CancellationToken ct)
    {
        try
        {
            await api.GetJsonAsync(NamePath(name), NotFound(name), ct).ConfigureAwait(false);
            return true;
        }
        catch (CliException)
        {
            return false;
        }
    }
}
