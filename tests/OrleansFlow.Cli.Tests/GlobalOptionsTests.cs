namespace OrleansFlow.Cli.Tests;

/// <summary><c>--api</c>, <c>--api-key</c> and <c>-o</c> were options of each group, so <c>orleansflow --api URL work-pool ls</c>
/// was a usage error; they are the root's now and work anywhere on the line.</summary>
public sealed class GlobalOptionsTests
{
    [Fact]
    public async Task GlobalOptions_BeforeTheGroup_AreAccepted()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local");

        var result = await CliHarness.RunLineAsync(["--api", cli.Server.ApiUrl, "-o", "json", "work-pool", "ls"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.Json().AsArray(), p => p!["name"]!.ToString() == "local");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task GlobalOptions_AnywhereOnTheLine_AreAccepted(int position)
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local");
        var words = new List<string> { "work-pool", "inspect", "local" };
        words.InsertRange(position, ["--output", "JSON", "--api", cli.Server.ApiUrl]);

        var result = await CliHarness.RunLineAsync([.. words]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("local", result.Json()["name"]!.ToString());
    }

    [Fact]
    public async Task GlobalOptions_BeforeTheGroupInTheRealProcess_AreAccepted()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("variable", "set", "colour", "blue");

        var (exit, output) = await CliHarness.RunProcessAsync(["--api", cli.Server.ApiUrl, "--api-key", "unused-key", "variable", "get", "colour"]);

        Assert.Equal(0, exit);
        Assert.Equal("blue", output.Trim());
    }

    [Fact]
    public async Task Output_WrongValueBeforeTheGroup_IsAUsageError()
    {
        var result = await CliHarness.RunLineAsync(["-o", "yaml", "work-pool", "ls"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--output: 'yaml' is not one of table, json.", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }
}
