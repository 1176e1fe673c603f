using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Cli.Commands;
using OrleansFlow.Testing;

namespace OrleansFlow.Cli.Tests;

/// <summary>A real in-process server (background loops off) and the client command tree invoked in-process against it,
/// with the output captured.</summary>
internal sealed class CliHarness : IAsyncDisposable
{
    private CliHarness(InProcessServer server)
    {
        Server = server;
        Http = server.CreateClient();
    }

    public InProcessServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<CliHarness> StartAsync() =>
        new(await InProcessServer.StartAsync(configure: options => options.BackgroundProcesses = false));

    /// <summary>Runs <c>orleansflow ARGS --api URL</c> and returns its exit code and what it wrote.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunAgainstAsync(Server.ApiUrl, args);

    public static async Task<CliResult> RunAgainstAsync(string apiUrl, string[] args, int width = 200)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand("test");
        ClientCommands.AddTo(root, new CliConsole(output, error, width));
        var exit = await root.Parse([.. args, "--api", apiUrl]).InvokeAsync();
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public async Task<JsonNode> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>A flow and a deployment of it with an hourly schedule; returns the deployment.</summary>
    public async Task<JsonNode> DeploymentAsync(string flow, string name, string? pool = null)
    {
        var flowId = (await PostAsync("flows/", new { name = flow }))["id"]!.ToString();
        return await PostAsync("deployments/", new
        {
            name,
            flow_id = flowId,
            description = $"{name} of {flow}",
            tags = new[] { "cli-test" },
            parameters = new { x = 1 },
            schedule = new { interval = 3600 },
            work_pool_name = pool,
        });
    }

    public async Task<string> RunInStateAsync(string deploymentId, params string[] states)
    {
        var run = await PostAsync($"deployments/{deploymentId}/create_flow_run", new { });
        var id = run["id"]!.ToString();
        foreach (var state in states)
        {
            var result = await PostAsync($"flow_runs/{id}/set_state", new { state = new { type = state } });
            Assert.Equal("ACCEPT", result["status"]!.ToString());
        }

        return id;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public JsonNode Json() => JsonNode.Parse(Output)!;
}
