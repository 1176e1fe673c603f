using System.CommandLine;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow flow ls|inspect|delete</c>. Prefect 2.20 has <c>flow ls</c> (and <c>flow serve</c>, which
/// serves Python code); <c>inspect</c> and <c>delete</c> are the API's <c>GET</c> and <c>DELETE /flows/{id}</c>.</summary>
internal static class FlowCommands
{
    public static Command Create(ClientCommand cli)
    {
        var limit = ClientCommand.LimitOption("flows", 15);
        var ls = new Command("ls", "List flows, newest first.") { limit };
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var flows = (await api.PostJsonAsync("flows/filter", new { sort = "CREATED_DESC", limit = parse.GetValue(limit) }, "flows not found", ct).ConfigureAwait(false))!.AsArray();
            if (cli.WriteJsonOrNone(parse, flows, "flows"))
            {
                return;
            }

            var table = new Table("ID", "NAME", "CREATED");
            foreach (var f in flows.Where(f => f is not null))
            {
                table.Add(ClientCommand.Text(f!["id"]), ClientCommand.Text(f["name"]), ClientCommand.Time(f["created"]));
            }

            cli.WriteTable(table);
        });

        var inspect = new Command("inspect", "Show a flow.") { NameArgument() };
        cli.SetAction(inspect, async (parse, api, ct) =>
        {
            var flow = await ResolveAsync(api, parse.GetValue<string>("name")!, ct).ConfigureAwait(false);
            if (cli.Json(parse))
            {
                cli.WriteJson(flow);
                return;
            }

            cli.WriteFields(
            [
                ("name", ClientCommand.Text(flow["name"])),
                ("id", ClientCommand.Text(flow["id"])),
                ("tags", ClientCommand.Text(flow["tags"])),
                ("created", ClientCommand.Time(flow["created"])),
                ("updated", ClientCommand.Time(flow["updated"])),
            ]);
        });

        var delete = new Command("delete", "Delete a flow with its deployments and runs.") { NameArgument() };
        cli.SetDeleteAction(delete, async (parse, api, ct) =>
        {
            var flow = await ResolveAsync(api, parse.GetValue<string>("name")!, ct).ConfigureAwait(false);
            var name = ClientCommand.Text(flow["name"]);
            return new Deletion($"flow '{name}'", flow, c => api.CallAsync(HttpMethod.Delete, $"flows/{flow["id"]}", null, $"flow '{name}' not found", c));
        });

        var group = cli.Group("flow", "List, inspect and delete flows.", ls, inspect, delete);
        group.Aliases.Add("flows");
        return group;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The flow's name, or its id." };

    private static async Task<JsonNode> ResolveAsync(OrleansFlowClient api, string nameOrId, CancellationToken ct)
    {
        var path = Guid.TryParse(nameOrId, out var id) ? $"flows/{id}" : $"flows/name/{ClientCommand.Escape(nameOrId)}";
        return (await api.GetJsonAsync(path, $"flow '{nameOrId}' not found", ct).ConfigureAwait(false))!;
    }
}
