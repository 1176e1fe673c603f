using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Testing;

namespace OrleansFlow.Worker.Tests;

/// <summary>A real server (background loops off unless configured) on a fresh SQLite file or PostgreSQL database, with
/// helpers to make work pools, deployments and runs.</summary>
internal sealed class Fixture : IAsyncDisposable
{
    private readonly SqliteFiles? _files;
    private readonly PostgresTestDatabase? _postgres;

    private Fixture(InProcessServer server, SqliteFiles? files, PostgresTestDatabase? postgres)
    {
        Server = server;
        Client = server.CreateClient();
        _files = files;
        _postgres = postgres;
    }

    public InProcessServer Server { get; }

    public HttpClient Client { get; }

    /// <summary>Starts a server on <paramref name="kind"/>; <paramref name="configure"/> changes its options after the
    /// background processes were turned off.</summary>
    public static async Task<Fixture> StartAsync(DatabaseKind kind = DatabaseKind.Sqlite, Action<Gateway.ServerOptions>? configure = null)
    {
        SqliteFiles? files = null;
        PostgresTestDatabase? postgres = null;
        try
        {
            Silo.Storage.DatabaseOptions database;
            if (kind == DatabaseKind.Sqlite)
            {
                files = new SqliteFiles();
                database = files.NewDatabase();
            }
            else
            {
                postgres = await PostgresServer.CreateDatabaseAsync();
                database = postgres.Options();
            }

            var server = await InProcessServer.StartAsync(database, configure: options =>
            {
                options.BackgroundProcesses = false;
                configure?.Invoke(options);
            });
            return new Fixture(server, files, postgres);
        }
        catch
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            files?.Dispose();
            throw;
        }
    }

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

    public async Task PatchOkAsync(string path, object body)
    {
        using var response = await Client.PatchAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PATCH {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The command that runs the compiled flow program (<c>FlowProgram/</c>) as a worker starts it.</summary>
    public static string FlowProgramCommand()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "FlowProgram", "bin",
            new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name, "net10.0", "FlowProgram.dll");
        Assert.True(File.Exists(program), $"{program} is not built");
        return $"dotnet \"{Path.GetFullPath(program)}\"";
    }

    /// <summary>The number of slots of tag concurrency limit <paramref name="tag"/> taken now.</summary>
    public async Task<int> ActiveSlotsAsync(string tag) =>
        (await GetOkAsync($"concurrency_limits/tag/{tag}"))["active_slots"]!.AsArray().Count;

    /// <summary>The pid part of the run's <c>infrastructure_pid</c> (<c>host:pid</c>).</summary>
    public async Task<int> ProcessIdAsync(Guid run) =>
        int.Parse((await RunAsync(run))["infrastructure_pid"]!.GetValue<string>().Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);

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
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _files?.Dispose();
    }
}
