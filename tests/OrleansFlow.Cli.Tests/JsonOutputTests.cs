using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Tests;

/// <summary>Every command takes <c>-o json</c>; the commands that change something printed their sentence anyway, which
/// a script could not read. Each now prints the object as the change left it.</summary>
public sealed class JsonOutputTests
{
    [Fact]
    public async Task ChangingCommands_Json_PrintTheObjectAsChanged()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.PostAsync("work_pools/", new { name = "local" });
        await cli.PostAsync("work_pools/local/queues", new { name = "urgent" });
        await cli.DeploymentAsync("etl", "nightly");
        await cli.PostAsync("concurrency_limits/", new { tag = "db", concurrency_limit = 2 });
        await cli.PostAsync("v2/concurrency_limits/", new { name = "api", limit = 2 });
        await cli.PostAsync("variables/", new { name = "v", value = "old" });
        (string Command, string Field, string Expected)[] cases =
        [
            ("work-pool pause local", "is_paused", "true"),
            ("work-pool resume local", "is_paused", "false"),
            ("work-pool set-concurrency-limit local 3", "concurrency_limit", "3"),
            ("work-pool clear-concurrency-limit local", "concurrency_limit", "null"),
            ("work-queue pause urgent -p local", "is_paused", "true"),
            ("work-queue resume urgent -p local", "is_paused", "false"),
            ("work-queue set-concurrency-limit urgent 2 -p local", "concurrency_limit", "2"),
            ("work-queue clear-concurrency-limit urgent -p local", "concurrency_limit", "null"),
            ("deployment pause etl/nightly", "is_schedule_active", "false"),
            ("deployment resume etl/nightly", "is_schedule_active", "true"),
            ("concurrency-limit reset db", "tag", "\"db\""),
            ("gcl disable api", "active", "false"),
            ("gcl enable api", "active", "true"),
            ("gcl update api --limit 4", "limit", "4"),
            ("variable set v new --overwrite", "value", "\"new\""),
        ];

        var failures = new List<string>();
        foreach (var (command, field, expected) in cases)
        {
            var result = await cli.RunAsync([.. command.Split(' '), "-o", "json"]);
            try
            {
                var node = JsonNode.Parse(result.Output) as JsonObject ?? throw new JsonException("not an object");
                var actual = node[field]?.ToJsonString() ?? "null";
                if (result.ExitCode != 0 || actual != expected)
                {
                    failures.Add($"{command}: exit {result.ExitCode}, {field} = {actual}, expected {expected}");
                }
            }
            catch (JsonException)
            {
                failures.Add($"{command}: not JSON: {result.Output}{result.Error}");
            }
        }

        Assert.Empty(failures);
    }
}
