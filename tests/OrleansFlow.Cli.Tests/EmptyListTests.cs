namespace OrleansFlow.Cli.Tests;

/// <summary>An empty list printed its table header alone; now a line as Prefect's (<c>No flow runs found.</c>), and <c>[]</c>
/// with <c>-o json</c>.</summary>
public sealed class EmptyListTests
{
    [Theory]
    [InlineData("No flow runs found.", "flow-run", "ls")]
    [InlineData("No deployments found.", "deployment", "ls")]
    [InlineData("No variables found.", "variable", "ls")]
    [InlineData("No concurrency limits found.", "concurrency-limit", "ls")]
    [InlineData("No global concurrency limits found.", "gcl", "ls")]
    [InlineData("No API keys found.", "api-key", "ls")]
    [InlineData("No work queues found.", "work-queue", "ls", "--match", "nothing-starts-like-this")]
    public async Task Ls_NothingToList_SaysSoAndPrintsAnEmptyJsonList(string line, params string[] args)
    {
        await using var cli = await CliHarness.StartAsync();

        var table = await cli.RunAsync(args);
        var json = await cli.RunAsync([.. args, "-o", "json"]);

        Assert.Equal((0, 0), (table.ExitCode, json.ExitCode));
        Assert.Equal(line, table.Output.Trim());
        Assert.Equal("", table.Error);
        Assert.Equal("[]", json.Output.Trim());
    }
}
