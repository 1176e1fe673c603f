using System.CommandLine;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary><c>orleansflow block ls|inspect|delete</c> and <c>block type ls</c>, as Prefect 2.20's <c>prefect block</c>. A
/// block is named by its slug, <c>TYPE-SLUG/NAME</c> (<c>secret/db-password</c>), or by <c>--id</c>. Secret fields are
/// shown obfuscated, as the API gives them. (<c>block register</c> loads Python classes: not here.)</summary>
internal static class BlockCommands
{
    public static Command Create(ClientCommand cli)
    {
        var ls = new Command("ls", "List blocks, by slug.");
        cli.SetAction(ls, async (parse, api, ct) =>
        {
            var blocks = (await api.PostJsonAsync("block_documents/filter", new { block_documents = new { is_anonymous = new { eq_ = false } } }, "blocks not found", ct)
                .ConfigureAwait(false))!.AsArray();
            var sorted = new JsonArray([.. blocks.Where(b => b is not null).OrderBy(Slug, StringComparer.Ordinal).Select(b => b!.DeepClone())]);
            if (cli.WriteJsonOrNone(parse, sorted, "blocks"))
            {
                return;
            }

            var table = new Table("SLUG", "TYPE", "NAME", "ID");
            foreach (var b in sorted)
            {
                table.Add(Slug(b), ClientCommand.Text(b!["block_type"]?["name"]), ClientCommand.Text(b["name"]), ClientCommand.Text(b["id"]));
            }

            cli.WriteTable(table);
        });

        var (inspectSlug, inspectId) = (SlugArgument(), IdOption());
        var inspect = new Command("inspect", "Show a block (secret fields obfuscated).") { inspectSlug, inspectId };
        cli.SetAction(inspect, async (parse, api, ct) =>
        {
            var block = await ResolveAsync(api, parse.GetValue(inspectSlug), parse.GetValue(inspectId), ct).ConfigureAwait(false);
            if (cli.Json(parse))
            {
                cli.WriteJson(block);
                return;
            }

            cli.WriteFields(
            [
                ("slug", Slug(block)),
                ("id", ClientCommand.Text(block["id"])),
                ("block type", ClientCommand.Text(block["block_type"]?["name"])),
                ("data", ClientCommand.Text(block["data"])),
                ("created", ClientCommand.Time(block["created"])),
                ("updated", ClientCommand.Time(block["updated"])),
            ]);
        });

        var (deleteSlug, deleteId) = (SlugArgument(), IdOption());
        var delete = new Command("delete", "Delete a block.") { deleteSlug, deleteId };
        cli.SetDeleteAction(delete, async (parse, api, ct) =>
        {
            var block = await ResolveAsync(api, parse.GetValue(deleteSlug), parse.GetValue(deleteId), ct).ConfigureAwait(false);
            var what = $"block '{Slug(block)}'";
            return new Deletion(what, block, c => api.CallAsync(HttpMethod.Delete, $"block_documents/{block["id"]}", null, $"{what} not found", c));
        });

        var typeLs = new Command("ls", "List block types, by name.");
        cli.SetAction(typeLs, async (parse, api, ct) =>
        {
            var types = (await api.PostJsonAsync("block_types/filter", new { }, "block types not found", ct).ConfigureAwait(false))!.AsArray();
            var sorted = new JsonArray([.. types.Where(t => t is not null).OrderBy(t => t!["name"]?.ToString(), StringComparer.Ordinal).Select(t => t!.DeepClone())]);
            if (cli.WriteJsonOrNone(parse, sorted, "block types"))
            {
                return;
            }

            var table = new Table("SLUG", "NAME", "DESCRIPTION");
            foreach (var t in sorted)
            {
                table.Add(ClientCommand.Text(t!["slug"]), ClientCommand.Text(t["name"]), FirstSentence(t["description"]?.ToString()));
            }

            cli.WriteTable(table);
        });
        var type = new Command("type", "Block types.") { typeLs };
        type.Aliases.Add("types");

        var group = cli.Group("block", "List, inspect and delete blocks.", ls, inspect, delete, type);
        group.Aliases.Add("blocks");
        return group;
    }

    private static Argument<string?> SlugArgument() =>
        new("slug") { Description = "The block's slug: TYPE-SLUG/NAME (e.g. secret/db-password).", Arity = ArgumentArity.ZeroOrOne };

    private static Option<Guid?> IdOption() => new("--id") { Description = "The block's id, instead of its slug." };

    private static string Slug(JsonNode? block) => $"{block?["block_type"]?["slug"]}/{block?["name"]}";

    private static string FirstSentence(string? text) => text is null ? "" : text.Split('\n')[0].Split(". ")[0].TrimEnd('.');

    /// <summary>The block <paramref name="slug"/> or <paramref name="id"/> names (one of them, not both).</summary>
    private static async Task<JsonNode> ResolveAsync(OrleansFlowClient api, string? slug, Guid? id, CancellationToken ct)
    {
        switch (slug, id)
        {
            case (not null, not null):
                throw new CliException("give a block slug or --id, not both", CliRunner.UsageError);
            case (null, { } blockId):
                return (await api.GetJsonAsync($"block_documents/{blockId}", $"block {blockId} not found", ct).ConfigureAwait(false))!;
            case ({ } given, null):
                var slash = given.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || slash == given.Length - 1)
                {
                    throw new CliException($"'{given}' is not a block slug: give it as TYPE-SLUG/NAME, e.g. secret/db-password", CliRunner.UsageError);
                }

                return (await api.GetJsonAsync($"block_types/slug/{ClientCommand.Escape(given[..slash])}/block_documents/name/{ClientCommand.Escape(given[(slash + 1)..])}",
                    $"block '{given}' not found", ct).ConfigureAwait(false))!;
            default:
                throw new CliException("give the block's slug (TYPE-SLUG/NAME) or its --id", CliRunner.UsageError);
        }
    }
}
