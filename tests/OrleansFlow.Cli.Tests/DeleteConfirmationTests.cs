using System.Net;

namespace OrleansFlow.Cli.Tests;

/// <summary>Every delete asks "Are you sure...?" at a terminal (as Prefect does), <c>--yes</c> skips the question, and a
/// script (no terminal) is never asked, so it never waits for an answer.</summary>
public sealed class DeleteConfirmationTests
{
    public static TheoryData<string> Kinds => ["deployment", "work-pool", "work-queue", "flow-run", "variable", "concurrency-limit", "gcl", "api-key"];

    /// <summary>Revoking a revoked key asked again and said "Revoked".</summary>
    [Fact]
    public async Task ApiKeyRevoke_AlreadyRevoked_SaysSoWithoutAsking()
    {
        await using var cli = await CliHarness.StartAsync();
        var id = (await cli.PostAsync("api_keys/", new { name = "old", role = "runner" }))["id"]!.ToString();
        await cli.RunAsync("api-key", "revoke", id);

        var again = await cli.RunInteractiveAsync("n", "api-key", "revoke", id);
        var json = await cli.RunAsync("api-key", "revoke", id, "-o", "json");

        Assert.Equal(0, again.ExitCode);
        Assert.Equal("", again.Error);
        Assert.StartsWith($"API key {id} ('old') is already revoked (since ", again.Output.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        Assert.NotNull(json.Json()["revoked"]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Delete_AtATerminal_AsksAndOnlyYesDeletes(string kind)
    {
        await using var cli = await CliHarness.StartAsync();
        var target = await TargetAsync(cli, kind);

        var no = await cli.RunInteractiveAsync("n", target.Args);
        var keptAfterNo = await target.ExistsAsync();
        var empty = await cli.RunInteractiveAsync("", target.Args);
        var keptAfterEnter = await target.ExistsAsync();
        var yes = await cli.RunInteractiveAsync("YES", target.Args);

        Assert.Equal(1, no.ExitCode);
        Assert.StartsWith($"Are you sure you want to {target.Verb} {target.What}? [y/N]: ", no.Error, StringComparison.Ordinal);
        Assert.Contains($"orleansflow: {target.Verb} aborted: {target.What} is unchanged", no.Error, StringComparison.Ordinal);
        Assert.True(keptAfterNo);
        Assert.Equal(1, empty.ExitCode);
        Assert.True(keptAfterEnter);
        Assert.True(yes.ExitCode == 0, yes.Error);
        Assert.False(await target.ExistsAsync());
        Assert.Contains($"d {target.What}.", yes.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Delete_WithYesOrWithoutATerminal_DeletesWithoutAsking(string kind)
    {
        await using var cli = await CliHarness.StartAsync();
        var first = await TargetAsync(cli, kind);
        var noTerminal = await cli.RunAsync(first.Args);
        var firstGone = !await first.ExistsAsync();
        var second = await TargetAsync(cli, kind, "again");

        // A terminal where the user would say no: -y answers for them. With -o json the deleted object is printed.
        var withYes = await cli.RunInteractiveAsync("n", [.. second.Args, "-y", "-o", "json"]);

        Assert.True(noTerminal.ExitCode == 0, noTerminal.Error);
        Assert.True(firstGone);
        Assert.DoesNotContain("Are you sure", noTerminal.Error, StringComparison.Ordinal);
        Assert.True(withYes.ExitCode == 0, withYes.Error);
        Assert.False(await second.ExistsAsync());
        Assert.Equal("", withYes.Error);
        Assert.Equal(second.Id, withYes.Json()["id"]!.ToString());
    }

    [Fact]
    public async Task Delete_MissingAtATerminal_SaysNotFoundWithoutAsking()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunInteractiveAsync("y", "work-pool", "delete", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("orleansflow: work pool 'nope' not found", result.Error.Trim());
    }

    /// <summary>Prefect 2's gcl delete read its answer from standard input even without a terminal: a script holding the
    /// pipe open waited forever. The real process, its input a pipe that stays open, finishes and deletes.</summary>
    [Fact]
    public async Task GclDelete_AsAScriptWithInputOpen_DeletesWithoutWaiting()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.PostAsync("v2/concurrency_limits/", new { name = "doomed", limit = 1 });

        var (exitCode, output) = await cli.RunAsScriptAsync("gcl", "delete", "doomed");

        Assert.True(exitCode == 0, output);
        Assert.Equal("Deleted global concurrency limit 'doomed'.", output.Trim());
        Assert.Equal(HttpStatusCode.NotFound, (await cli.Http.GetAsync("v2/concurrency_limits/doomed")).StatusCode);
    }

    private sealed record Target(string[] Args, string What, string Id, Func<Task<bool>> ExistsAsync, string Verb = "delete");

    private static async Task<Target> TargetAsync(CliHarness cli, string kind, string suffix = "")
    {
        var name = "doomed" + suffix;
        async Task<bool> Found(string path) => (await cli.Http.GetAsync(path)).StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            var other => throw new InvalidOperationException($"GET {path}: {other}"),
        };

        switch (kind)
        {
            case "deployment":
                var deployment = await cli.DeploymentAsync("etl", name);
                return new(["deployment", "delete", $"etl/{name}"], $"deployment 'etl/{name}'", deployment["id"]!.ToString(),
                    () => Found($"deployments/{deployment["id"]}"));
            case "work-pool":
                var pool = await cli.PostAsync("work_pools/", new { name });
                return new(["work-pool", "delete", name], $"work pool '{name}'", pool["id"]!.ToString(), () => Found($"work_pools/{name}"));
            case "work-queue":
                var queue = await cli.PostAsync("work_queues/", new { name });
                return new(["work-queue", "delete", name], $"work queue '{name}' of pool 'default-agent-pool'", queue["id"]!.ToString(),
                    () => Found($"work_queues/{queue["id"]}"));
            case "flow-run":
                var owner = await cli.DeploymentAsync("etl", name);
                var run = await cli.PostAsync($"deployments/{owner["id"]}/create_flow_run", new { });
                return new(["flow-run", "delete", run["id"]!.ToString()], $"flow run '{run["id"]}' ({run["name"]})", run["id"]!.ToString(),
                    () => Found($"flow_runs/{run["id"]}"));
            case "variable":
                var variable = await cli.PostAsync("variables/", new { name, value = "x" });
                return new(["variable", "unset", name], $"variable '{name}'", variable["id"]!.ToString(), () => Found($"variables/name/{name}"));
            case "concurrency-limit":
                var limit = await cli.PostAsync("concurrency_limits/", new { tag = name, concurrency_limit = 1 });
                return new(["concurrency-limit", "delete", name], $"the concurrency limit of tag '{name}'", limit["id"]!.ToString(),
                    () => Found($"concurrency_limits/tag/{name}"));
            case "gcl":
                var gcl = await cli.PostAsync("v2/concurrency_limits/", new { name, limit = 1 });
                return new(["gcl", "delete", name], $"global concurrency limit '{name}'", gcl["id"]!.ToString(), () => Found($"v2/concurrency_limits/{name}"));
            case "api-key":
                var key = await cli.PostAsync("api_keys/", new { name, role = "runner" });
                var id = key["id"]!.ToString();
                // A revoked key stays listed, marked revoked.
                return new(["api-key", "revoke", id], $"API key {id} ('{name}')", id, async () => (await cli.GetAsync($"api_keys/{id}"))["revoked"] is null,
                    Verb: "revoke");
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
