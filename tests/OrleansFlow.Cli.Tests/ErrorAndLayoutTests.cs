using System.Net;
using System.Net.Sockets;
using OrleansFlow.Cli.Commands;

namespace OrleansFlow.Cli.Tests;

public sealed class ErrorAndLayoutTests
{
    [Fact]
    public async Task AnyCommand_NoServerListening_SaysItCannotReachTheServer()
    {
        // A port that was free a moment ago: nothing listens there.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var url = $"http://127.0.0.1:{port}/api";

        var result = await CliHarness.RunAgainstAsync(url, ["work-pool", "ls"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"orleansflow: cannot reach the server at {url}", result.Error.Trim());
    }

    [Fact]
    public void Table_TooWide_CutsTheWidestColumnToFit()
    {
        var table = new Table("NAME", "DESCRIPTION");
        table.Add("short", new string('x', 200));
        using var output = new StringWriter();

        table.Write(output, 60);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.True(l.TrimEnd('\r').Length < 60, l));
        Assert.StartsWith("short  xxx", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("…", lines[1].TrimEnd('\r'), StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_JsonAndText_KeepTheirTypes()
    {
        var parameters = DeploymentCommands.Parameters(["n=3", "flag=true", "name=plain text", "list=[1,2]"]);

        Assert.Equal(3, parameters["n"]!.GetValue<int>());
        Assert.True(parameters["flag"]!.GetValue<bool>());
        Assert.Equal("plain text", parameters["name"]!.GetValue<string>());
        Assert.Equal(2, parameters["list"]!.AsArray().Count);
    }

    /// <summary>A value that does not convert used to reach the option's range check, which threw instead of the parse
    /// error being reported (exit 134 and a stack trace).</summary>
    [Theory]
    [InlineData("flow-run", "ls", "--limit", "abc")]
    [InlineData("api-key", "create", "holder", "--expires-in-days", "abc")]
    [InlineData("work-pool", "set-concurrency-limit", "pool", "abc")]
    public async Task Command_NumberThatIsNotANumber_IsAUsageErrorNotACrash(params string[] args)
    {
        var result = await CliHarness.RunAgainstAsync("http://127.0.0.1:9/api", args);

        Assert.Equal(2, result.ExitCode);
    }

    [Theory]
    [InlineData("flow-run ls --limit 0", "--limit must be between 1 and 200.")]
    [InlineData("api-key create holder --expires-in-days 0", "--expires-in-days must be 1 or more.")]
    [InlineData("work-pool set-concurrency-limit pool -1", "The concurrency limit must be 0 or more.")]
    [InlineData("concurrency-limit create database -1", "The concurrency limit must be 0 or more.")]
    [InlineData("global-concurrency-limit create api --limit -1", "The limit must be 0 or more.")]
    [InlineData("gcl update api --slot-decay-per-second -0.5", "The slot decay must be a number, 0 or more.")]
    [InlineData("gcl update api --active-slots -1", "--active-slots must be 0 or more.")]
    [InlineData("work-queue create q --limit -1", "The concurrency limit must be 0 or more.")]
    [InlineData("work-queue create q --priority 0", "--priority must be 1 or more.")]
    public async Task Command_NumberOutOfRange_IsRefusedWithItsReason(string command, string reason)
    {
        var (exitCode, output) = await CliHarness.RunProcessAsync(command.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Contains(reason, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_UsageError_SaysWhatIsWrongAndWhereTheHelpIsWithoutTheWholeHelp()
    {
        var (exitCode, output) = await CliHarness.RunProcessAsync(["flow-run", "ls", "--limit", "abc"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--limit: 'abc' is not a whole number.", output, StringComparison.Ordinal);
        Assert.Contains("See 'orleansflow flow-run ls --help'.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    /// <summary>A value that did not convert was reported with the .NET type (<c>as expected type
    /// 'System.Nullable`1[System.Int32]'</c>). Every option and argument of every command, the server's and the worker's
    /// included, now says which one and what kind of value it wants, once.</summary>
    [Theory]
    [InlineData("flow-run ls --limit abc", "--limit: 'abc' is not a whole number.")]
    [InlineData("work-queue create q --priority high", "--priority: 'high' is not a whole number.")]
    [InlineData("work-pool set-concurrency-limit pool 1.5", "<limit>: '1.5' is not a whole number.")]
    [InlineData("gcl create api --limit 99999999999", "--limit: '99999999999' is not a whole number.")]
    [InlineData("gcl update api --slot-decay-per-second fast", "--slot-decay-per-second: 'fast' is not a number.")]
    [InlineData("api-key revoke not-a-key", "<id>: 'not-a-key' is not a UUID.")]
    [InlineData("api-key create holder --role root", "--role: 'root' is not one of read_only, runner, admin.")]
    [InlineData("work-pool ls -o yaml", "--output: 'yaml' is not one of table, json.")]
    [InlineData("server start --port http", "--port: 'http' is not a whole number.")]
    [InlineData("worker start --pool p --limit some", "--limit: 'some' is not a whole number.")]
    public async Task Command_ValueOfTheWrongKind_IsOnePlainLineNamingTheOption(string command, string error)
    {
        var (exitCode, output) = await CliHarness.RunProcessAsync(command.Split(' '));

        Assert.Equal(2, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(error, lines[0]);
        Assert.Matches("^See 'orleansflow [a-z -]+ --help'\\.$", lines[1]);
        Assert.DoesNotContain("System.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_InAnyCase_IsAccepted()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("work-pool", "ls", "-o", "JSON");

        Assert.Equal(0, result.ExitCode);
        Assert.NotNull(result.Json().AsArray());
    }

    /// <summary>An unknown state used to be sent as a state name: the list was empty and the exit code 0, as if no run were
    /// in that state.</summary>
    [Fact]
    public async Task FlowRunLs_UnknownState_IsAUsageErrorNamingTheValidStates()
    {
        var (exitCode, output) = await CliHarness.RunProcessAsync(["flow-run", "ls", "--state", "BOGUS"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--state: 'BOGUS' is not a state type (SCHEDULED, PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, CANCELLING, CRASHED, PAUSED)"
            + " or a state name (Late, AwaitingRetry, Retrying, Cached, Suspended, Resuming).", output, StringComparison.Ordinal);
        Assert.Contains("See 'orleansflow flow-run ls --help'.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", output, StringComparison.Ordinal);
    }

    /// <summary><c>orleansflow deployment</c> said "Required command was not provided." and exited 1; like the bare
    /// <c>orleansflow</c>, and like Prefect's groups, it is the group's help.</summary>
    [Fact]
    public async Task Group_WithoutACommand_ShowsItsHelp()
    {
        var (exitCode, output) = await CliHarness.RunProcessAsync(["deployment"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("orleansflow deployment [command] [options]", output, StringComparison.Ordinal);
        Assert.Contains("delete <name>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Required command", output, StringComparison.Ordinal);
    }

    /// <summary>A usage error wrote a blank line (and any "did you mean" suggestions) to standard output, where a script
    /// reads results; it exited 1, as a failed request does.</summary>
    [Fact]
    public async Task UsageError_GoesToStandardErrorOnlyWithExitCode2()
    {
        var result = await CliHarness.RunAgainstAsync("http://127.0.0.1:9/api", ["deployment", "lss", "-o", "json"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("Unrecognized command or argument 'lss'.", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("See 'orleansflow deployment --help'." + Environment.NewLine, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoArguments_ShowsTheHelp()
    {
        var (exitCode, output) = await CliHarness.RunProcessAsync([]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("server", output, StringComparison.Ordinal);
    }
}

