using System.CommandLine;
using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow artifact ls|inspect|delete</c>, as Prefect 2.20's <c>prefect artifact</c>: artifacts are
/// listed by key (the latest version of each, or every version with <c>--all</c>), inspected by key, deleted by key (every
/// version) or by id.</summary>
internal static class ArtifactCommands
{
    public static Command Create(ClientCommand cli)
    {
        var limit = ClientCommand.LimitOption("artifacts", 100);
        var all = new Option<bool>("--all", "-a") { Description = "Every version of each artifact, not only the latest of each key." };
        var ls = new Command("ls", "List artifacts: the latest of each key, by key.") { limit, all };
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var everyVersion = parse.GetValue(all);
            var artifacts = (await api.PostJsonAsync(everyVersion ? "artifacts/filter" : "artifacts/latest/filter", new { sort = "KEY_ASC", limit = parse.GetValue(limit) },
                "artifacts not found", ct).ConfigureAwait(false))!.AsArray();
            if (cli.WriteJsonOrNone(parse, artifacts, "artifacts"))
            {
                return;
            }

            var table = new Table("ID", "KEY", "TYPE", "UPDATED");
            foreach (var a in artifacts.Where(a => a is not null))
            {
                // The latest of a key is the collection's latest_id; its own id names the collection.
                table.Add(ClientCommand.Text(everyVersion ? a!["id"] : a!["latest_id"]), ClientCommand.Text(a["key"]), ClientCommand.Text(a["type"]), ClientCommand.Time(a["updated"]));
            }

            cli.WriteTable(table);
        });

        var inspectLimit = ClientCommand.LimitOption("versions", 10);
        var inspect = new Command("inspect", "Show the versions of an artifact, newest first.") { KeyArgument(), inspectLimit };
        cli.SetAction(inspect, async (parse, api, ct) =>
        {
            var key = parse.GetValue<string>("key")!;
            var versions = await ByKeyAsync(api, key, parse.GetValue(inspectLimit), ct).ConfigureAwait(false);
            if (versions.Count == 0)
            {
                throw new CliException($"artifact '{key}' not found");
            }

            if (cli.Json(parse))
            {
                cli.WriteJson(versions);
                return;
            }

            foreach (var (v, i) in versions.Select((v, i) => (v!, i)))
            {
                if (i > 0)
                {
                    cli.Console.Out.WriteLine();
                }

                cli.WriteFields(
                [
                    ("id", ClientCommand.Text(v["id"])),
                    ("key", ClientCommand.Text(v["key"])),
                    ("type", ClientCommand.Text(v["type"])),
                    ("description", ClientCommand.Text(v["description"])),
                    ("data", ClientCommand.Text(v["data"])),
                    ("flow run id", ClientCommand.Text(v["flow_run_id"])),
                    ("task run id", ClientCommand.Text(v["task_run_id"])),
                    ("created", ClientCommand.Time(v["created"])),
                    ("updated", ClientCommand.Time(v["updated"])),
                ]);
            }
        });

        var deleteKey = new Argument<string?>("key") { Description = "The key of the artifact to delete (every version of it).", Arity = ArgumentArity.ZeroOrOne };
        var id = new Option<Guid?>("--id") { Description = "The id of the one artifact to delete, instead of a key." };
        var delete = new Command("delete", "Delete an artifact: every version of a key, or one by --id.") { deleteKey, id };
        cli.SetDeleteAction(delete, async (parse, api, ct) =>
        {
            switch (parse.GetValue(deleteKey), parse.GetValue(id))
            {
                case (not null, not null):
                    throw new CliException("give a key or --id, not both", CliRunner.UsageError);
                case (null, { } artifactId):
                    var artifact = (await api.GetJsonAsync($"artifacts/{artifactId}", $"artifact {artifactId} not found", ct).ConfigureAwait(false))!;
                    return new Deletion($"artifact {artifactId}", artifact,
                        c => api.CallAsync(HttpMethod.Delete, $"artifacts/{artifactId}", null, $"artifact {artifactId} not found", c));
                case ({ } key, null):
                    var versions = await ByKeyAsync(api, key, 200, ct).ConfigureAwait(false);
                    if (versions.Count == 0)
                    {
                        throw new CliException($"artifact '{key}' not found (an artifact without a key is deleted by --id)");
                    }

                    return new Deletion($"{versions.Count} artifact(s) with key '{key}'", versions, async c =>
                    {
                        foreach (var v in versions)
                        {
                            await api.CallAsync(HttpMethod.Delete, $"artifacts/{v!["id"]}", null, $"artifact '{key}' not found", c).ConfigureAwait(false);
                        }
                    });
                default:
                    throw new CliException("give the key of the artifact to delete, or its --id", CliRunner.UsageError);
            }
        });

        return cli.Group("artifact", "List, inspect and delete artifacts.", ls, inspect, delete);
    }

    private static Argument<string> KeyArgument() => new("key") { Description = "The artifact's key." };

    /// <summary>The versions of the artifact of <paramref name="key"/>, newest first.</summary>
    private static async Task<JsonArray> ByKeyAsync(OrleansFlow.Client.OrleansFlowClient api, string key, int limit, CancellationToken ct) =>
        (await api.PostJsonAsync("artifacts/filter", new { artifacts = new { key = new { any_ = new[] { key } } }, sort = "UPDATED_DESC", limit },
            $"artifact '{key}' not found", ct).ConfigureAwait(false))!.AsArray();
}
