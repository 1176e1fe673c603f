using System.Text.Json.Nodes;
using OrleansFlow.Testing;

namespace OrleansFlow.Cli.Tests;

/// <summary>What <c>orleansflow server start</c> prints on a normal start. Orleans' silo used to warn twice at every start
/// that it was not running the server GC, which the user of the installed tool could do nothing about: the CLI now
/// asks for the server GC, as ASP.NET Core apps do by default.</summary>
public sealed class ServerStartOutputTests
{
    [Fact]
    public async Task ServerStart_Normal_PrintsNoGarbageCollectorWarning()
    {
        await using var server = await ServerProcess.StartAsync();

        var output = server.Output;
        Assert.Contains("OrleansFlow server on", output, StringComparison.Ordinal);
        // The runtime runs the server GC only with two processors or more; on one, Orleans' note is true and stays.
        if (Environment.ProcessorCount > 1)
        {
            Assert.DoesNotContain("ServerGC", output, StringComparison.Ordinal);
            Assert.DoesNotContain("warn: Orleans.Runtime.Silo[", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Cli_RuntimeConfig_AsksForTheServerGarbageCollector()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(ServerProcess.CliPath(), ".runtimeconfig.json")))!;

        Assert.True(config["runtimeOptions"]?["configProperties"]?["System.GC.Server"]?.GetValue<bool>());
    }
}
