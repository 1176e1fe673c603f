using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Tests;

/// <summary><c>artifact ls|inspect|delete</c> and <c>block ls|inspect|delete|type ls</c> did not exist.</summary>
public sealed class ArtifactAndBlockCommandsTests
{
    [Fact]
    public async Task ArtifactLs_LatestOfEachKeyOrEveryVersion()
    {
        await using var cli = await CliHarness.StartAsync();
        await ArtifactAsync(cli, "report", "v1");
        var latest = await ArtifactAsync(cli, "report", "v2");
        var summary = await ArtifactAsync(cli, "summary", "s1");

        var ls = await cli.RunAsync("artifact", "ls");
        var all = await cli.RunAsync("artifact", "ls", "--all", "-o", "json");

        Assert.Equal((0, 0), (ls.ExitCode, all.ExitCode));
        Assert.Equal(["ID", "KEY", "TYPE", "UPDATED"], ls.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal([$"{latest} report", $"{summary} summary"], ls.Lines[1..].Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2])));
        Assert.Equal(["report", "report", "summary"], all.Json().AsArray().Select(a => a!["key"]!.ToString()));
    }

    [Fact]
    public async Task ArtifactInspect_ShowsEveryVersionNewestFirst()
    {
        await using var cli = await CliHarness.StartAsync();
        await ArtifactAsync(cli, "report", "v1");
        await ArtifactAsync(cli, "report", "v2");

        var inspect = await cli.RunAsync("artifact", "inspect", "report");
        var json = await cli.RunAsync("artifact", "inspect", "report", "-o", "json");
        var missing = await cli.RunAsync("artifact", "inspect", "nope");

        Assert.Equal((0, 0), (inspect.ExitCode, json.ExitCode));
        Assert.Equal(["data:        v2", "data:        v1"], inspect.Lines.Where(l => l.StartsWith("data:", StringComparison.Ordinal)));
        Assert.Equal(["v2", "v1"], json.Json().AsArray().Select(a => a!["data"]!.ToString()));
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("orleansflow: artifact 'nope' not found", missing.Error.Trim());
    }

    [Fact]
    public async Task ArtifactDelete_ByKeyRemovesEveryVersion_ByIdOnlyThatOne()
    {
        await using var cli = await CliHarness.StartAsync();
        await ArtifactAsync(cli, "report", "v1");
        await ArtifactAsync(cli, "report", "v2");
        var keep = await ArtifactAsync(cli, "summary", "s1");
        var drop = await ArtifactAsync(cli, "summary", "s2");

        var byKey = await cli.RunAsync("artifact", "delete", "report");
        var byId = await cli.RunAsync("artifact", "delete", "--id", drop);
        var both = await cli.RunAsync("artifact", "delete", "summary", "--id", keep);
        var neither = await cli.RunAsync("artifact", "delete");
        var left = (await cli.PostAsync("artifacts/filter", new { })).AsArray();

        Assert.Equal((0, 0, 2, 2), (byKey.ExitCode, byId.ExitCode, both.ExitCode, neither.ExitCode));
        Assert.Equal("Deleted 2 artifact(s) with key 'report'.", byKey.Output.Trim());
        Assert.Equal($"Deleted artifact {drop}.", byId.Output.Trim());
        Assert.Equal("orleansflow: give a key or --id, not both", both.Error.Trim());
        Assert.Equal([keep], left.Select(a => a!["id"]!.ToString()));
    }

    [Fact]
    public async Task BlockLsInspectDelete_BySlugOrId()
    {
        await using var cli = await CliHarness.StartAsync();
        var id = await SecretBlockAsync(cli, "db-password", "hunter2-secret");

        var ls = await cli.RunAsync("block", "ls");
        var inspect = await cli.RunAsync("block", "inspect", "secret/db-password");
        var byId = await cli.RunAsync("block", "inspect", "--id", id, "-o", "json");
        var badSlug = await cli.RunAsync("block", "inspect", "db-password");
        var missing = await cli.RunAsync("block", "inspect", "secret/nope");
        var delete = await cli.RunAsync("block", "delete", "secret/db-password");
        var after = await cli.RunAsync("block", "ls");

        Assert.Equal((0, 0, 0, 0), (ls.ExitCode, inspect.ExitCode, byId.ExitCode, delete.ExitCode));
        Assert.Equal(["SLUG", "TYPE", "NAME", "ID"], ls.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("secret/db-password ", Assert.Single(ls.Lines[1..]), StringComparison.Ordinal);
        Assert.Contains($"id:         {id}", inspect.Lines);
        Assert.DoesNotContain("hunter2-secret", inspect.Output, StringComparison.Ordinal);
        Assert.Equal("db-password", byId.Json()["name"]!.ToString());
        Assert.Equal(2, badSlug.ExitCode);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("orleansflow: block 'secret/nope' not found", missing.Error.Trim());
        Assert.Equal("Deleted block 'secret/db-password'.", delete.Output.Trim());
        Assert.Equal("No blocks found.", after.Output.Trim());
    }

    [Fact]
    public async Task BlockTypeLs_ListsTheTypesByName()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.PostAsync("block_types/install_system_block_types", new { });

        var ls = await cli.RunAsync("block", "type", "ls");
        var json = await cli.RunAsync("block", "type", "ls", "-o", "json");

        Assert.Equal((0, 0), (ls.ExitCode, json.ExitCode));
        Assert.Equal(["SLUG", "NAME", "DESCRIPTION"], ls.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(ls.Lines, l => l.StartsWith("secret ", StringComparison.Ordinal));
        var names = json.Json().AsArray().Select(t => t!["name"]!.ToString()).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(ls.Lines.Length - 1, names.Length);
    }

    private static async Task<string> ArtifactAsync(CliHarness cli, string key, string data) =>
        (await cli.PostAsync("artifacts/", new JsonObject { ["key"] = key, ["type"] = "markdown", ["data"] = data }))["id"]!.ToString();

    private static async Task<string> SecretBlockAsync(CliHarness cli, string name, string value)
    {
        await cli.PostAsync("block_types/install_system_block_types", new { });
        var typeId = (await cli.GetAsync("block_types/slug/secret"))["id"]!.ToString();
        var schemas = (await cli.PostAsync("block_schemas/filter", new { block_schemas = new { block_type_id = new { any_ = new[] { typeId } } } })).AsArray();
        return (await cli.PostAsync("block_documents/", new { name, block_type_id = typeId, block_schema_id = schemas[0]!["id"]!.ToString(), data = new { value } }))["id"]!.ToString();
    }
}
