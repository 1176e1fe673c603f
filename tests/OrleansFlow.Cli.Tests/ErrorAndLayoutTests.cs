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
}
