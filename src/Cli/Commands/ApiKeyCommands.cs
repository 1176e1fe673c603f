using System.CommandLine;
using System.Globalization;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow api-key create|ls|revoke</c> (an admin key in <c>ORLEANSFLOW_API_KEY</c> when the server
/// requires keys).</summary>
internal static class ApiKeyCommands
{
    public static Command Create(ClientCommand cli)
    {
        var name = new Argument<string>("name") { Description = "Who or what will hold the key, e.g. worker-eu-1." };
        var role = new Option<string>("--role", "-r")
        {
            Description = "read_only, runner (flow programs, workers) or admin (default runner).",
            DefaultValueFactory = _ => "runner",
        }.OneOf("read_only", "runner", "admin");
        var expiresIn = new Option<int?>("--expires-in-days") { Description = "Days until the key stops working (default: never)." }
            .Check(value => value is not <= 0, "--expires-in-days must be 1 or more.");
        var create = new Command("create", "Create an API key; the key is printed once and cannot be shown again.") { name, role, expiresIn };
        cli.SetAction(create, async (parse, api, ct) =>
        {
            var expires = parse.GetValue(expiresIn) is { } days ? DateTimeOffset.UtcNow.AddDays(days) : (DateTimeOffset?)null;
            var key = (await api.PostJsonAsync("api_keys/", new { name = parse.GetValue(name), role = parse.GetValue(role), expires }, "api keys not found", ct)
                .ConfigureAwait(false))!;
            if (cli.Json(parse))
            {
                cli.WriteJson(key);
                return;
            }

            cli.Console.Out.WriteLine($"Created API key '{ClientCommand.Text(key["name"])}' ({ClientCommand.Text(key["role"])}, id {ClientCommand.Text(key["id"])}"
                + (expires is null ? "" : $", expires {expires.Value.ToString("u", CultureInfo.InvariantCulture)}") + ").");
            cli.Console.Out.WriteLine("Copy the key now; it is not stored and cannot be shown again:");
            cli.Console.Out.WriteLine(ClientCommand.Text(key["key"]));
        });

        var ls = new Command("ls", "List API keys (never the keys themselves).");
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var keys = (await api.GetJsonAsync("api_keys/", "api keys not found", ct).ConfigureAwait(false))!.AsArray();
            if (cli.WriteJsonOrNone(parse, keys, "API keys"))
            {
                return;
            }

            var table = new Table("NAME", "ROLE", "PREFIX", "ACTIVE", "EXPIRES", "REVOKED", "ID");
            foreach (var k in keys.Where(k => k is not null))
            {
                table.Add(ClientCommand.Text(k!["name"]), ClientCommand.Text(k["role"]), ClientCommand.Text(k["prefix"]) + "…", ClientCommand.Text(k["active"]),
                    k["expires"] is null ? "never" : ClientCommand.Time(k["expires"]), k["revoked"] is null ? "" : ClientCommand.Time(k["revoked"]), ClientCommand.Text(k["id"]));
            }

            cli.WriteTable(table);
        });

        var id = new Argument<Guid>("id") { Description = "The key's id (from api-key ls)." };
        var revoke = new Command("revoke", "Revoke an API key: it stops working at once.") { id };
        cli.SetDeleteAction(revoke, async (parse, api, ct) =>
        {
            var keyId = parse.GetValue(id);
            var key = (await api.GetJsonAsync($"api_keys/{keyId}", $"API key {keyId} not found", ct).ConfigureAwait(false))!;
            var what = $"API key {keyId} ('{ClientCommand.Text(key["name"])}')";
            return new Deletion(what, key, c => api.CallAsync(HttpMethod.Delete, $"api_keys/{keyId}", null, $"API key {keyId} not found", c))
            {
                AlreadyDone = key["revoked"] is null ? null : $"{char.ToUpperInvariant(what[0])}{what[1..]} is already revoked (since {ClientCommand.Time(key["revoked"])}).",
            };
        }, verb: "revoke");

        return cli.Group("api-key", "Manage API keys.", create, ls, revoke);
    }
}
