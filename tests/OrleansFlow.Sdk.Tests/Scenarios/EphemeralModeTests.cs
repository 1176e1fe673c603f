using OrleansFlow.Sdk.Tests.Infrastructure;
using OrleansFlow.Testing;

namespace OrleansFlow.Sdk.Tests.Scenarios;

/// <summary>Ephemeral mode: with no server configured the first flow starts one inside the process on the local SQLite
/// file ($ORLEANSFLOW_HOME/orleansflow.db); a server started later on that file shows the runs. It changes process-wide
/// environment variables, so it runs alone (<see cref="ProcessEnvironmentCollection"/>) and puts them back.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class EphemeralModeTests
{
    [FlowTask]
    internal static int Increment(int x) => x + 1;

    [Flow(Name = "ephemeral-flow")]
    internal static int EphemeralFlow(int x) => Flows.Call(Increment, x);

    [Fact]
    public async Task Flow_NoServerConfigured_RunsOnAnInProcessServerOverTheHomeSqliteFile()
    {
        using var files = new SqliteFiles();
        var (apiUrl, home) = (Environment.GetEnvironmentVariable("ORLEANSFLOW_API_URL"), Environment.GetEnvironmentVariable("ORLEANSFLOW_HOME"));
        Environment.SetEnvironmentVariable("ORLEANSFLOW_API_URL", null);
        Environment.SetEnvironmentVariable("ORLEANSFLOW_HOME", files.Folder);
        int result;
        try
        {
            result = Flows.Call(EphemeralFlow, 41);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ORLEANSFLOW_API_URL", apiUrl);
            Environment.SetEnvironmentVariable("ORLEANSFLOW_HOME", home);
        }

        Assert.Equal(42, result);
        await using var server = await InProcessServer.StartAsync(files.Options(Path.Combine(files.Folder, "orleansflow.db")));
        var runs = await ReadAsync(server);
        var run = Assert.Single(runs);
        Assert.Equal("Completed", run.Str("state_name"));
    }

    private static async Task<List<System.Text.Json.Nodes.JsonObject>> ReadAsync(InProcessServer server)
    {
        using var http = server.CreateClient();
        using var response = await http.PostAsync("flow_runs/filter", new StringContent(
            """{"flows":{"name":{"any_":["ephemeral-flow"]}}}""", System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return [.. System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(n => n!.AsObject())];
    }
}
