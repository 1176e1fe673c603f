using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Testing;

namespace OrleansFlow.Worker.Tests;

/// <summary>A real server (background loops off) with a work pool and helpers to make deployments and runs.</summary>
internal sealed class Fixture : IAsyncDisposable
{
    private Fixture(InProcessServer server)
    {
        Server = server;
        Client = server.CreateClient();
    }

    public InProcessServer Server { get; }

    public HttpClient Client { get; }

    public static async Task<Fixture> StartAsync() =>
        new(await InProcessServer.StartAsync(configure: options => options.BackgroundProcesses = false));

    public WorkerOptions Options(string pool, int? limit = null) => new()
    {
        Pool = pool,
        ApiUrl = new Uri(Server.ApiUrl),
        Limit = limit,
        PollWait = TimeSpan.Zero,
        WatchInterval = TimeSpan.FromMilliseconds(100),
        Name = "test-worker",
    };

    public async Task<JsonNode> PostOkAsync(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> GetOkAsync(string path) => JsonNode.Parse(await Client.GetStringAsync(path))!;

    /// <summary>A pool (with <paramref name="template"/> as its base job template, if given) and a deployment on it whose job
    /// variables are <paramref name="jobVariables"/>; answers the deployment id.</summary>
    public async Task<string> CreateDeploymentAsync(string pool, object jobVariables, object? template = null, string? flowName = null)
    {
        using (var created = await Client.PostAsJsonAsync("work_pools/", new { name = pool, type = "process", base_job_template = template }))
        {
            Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
        }

        var flow = await PostOkAsync("flows/", new { name = flowName ?? "flow-" + Guid.NewGuid().ToString("N")[..8] });
        var deployment = await PostOkAsync("deployments/", new
        {
            name = "dep",
            flow_id = flow["id"]!.GetValue<string>(),
            work_pool_name = pool,
            infra_overrides = jobVariables,
            parameters = new { },
        });
        return deployment["id"]!.GetValue<string>();
    }

    public async Task<Guid> CreateRunAsync(string deployment) =>
        Guid.Parse((await PostOkAsync($"deployments/{deployment}/create_flow_run", new { }))["id"]!.GetValue<string>());

    public async Task<JsonNode> RunAsync(Guid id) => await GetOkAsync($"flow_runs/{id}");

    public async Task<string?> StateAsync(Guid id) => (await RunAsync(id))["state"]?["type"]?.GetValue<string>();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
