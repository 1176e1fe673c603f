using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Deployments.Tests;

/// <summary>A real server (background loops off: tests run the ticks) on a fresh SQLite file or PostgreSQL database,
/// with a JSON client. Deployments' schedule reminders fire every <see cref="QuietSchedulePeriod"/> unless a test asks
/// for a shorter period: a test that does not wait for a reminder refreshes the deployment grain itself.</summary>
internal sealed class Server : IAsyncDisposable
{
    private readonly IDisposable? _files;
    private readonly PostgresTestDatabase? _postgres;
    private readonly TimeProvider? _clock;
    private readonly TimeSpan _schedulePeriod;

    private Server(InProcessServer server, IDisposable? files, PostgresTestDatabase? postgres, DatabaseOptions database, TimeProvider? clock,
        TimeSpan schedulePeriod)
    {
        Database = database;
        Inner = server;
        Client = server.CreateClient();
        _files = files;
        _postgres = postgres;
        _clock = clock;
        _schedulePeriod = schedulePeriod;
    }

    public InProcessServer Inner { get; private set; }

    /// <summary>The database the server runs on (a second server may share it).</summary>
    public DatabaseOptions Database { get; }

    public HttpClient Client { get; private set; }

    public OrleansFlowSilo Silo => Inner.Silo;

    /// <summary>A reminder period no test lasts: the reminders never fire on their own.</summary>
    public static readonly TimeSpan QuietSchedulePeriod = TimeSpan.FromHours(1);

    public static async Task<Server> StartAsync(DatabaseKind kind, TimeProvider? clock = null, TimeSpan? schedulePeriod = null,
        bool backgroundProcesses = false)
    {
        SqliteFiles? files = null;
        PostgresTestDatabase? postgres = null;
        DatabaseOptions database;
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

        var period = schedulePeriod ?? QuietSchedulePeriod;
        var server = await StartInnerAsync(database, clock, period, backgroundProcesses);
        return new Server(server, files, postgres, database, clock, period);
    }

    /// <summary>Another server on the same database, with the same clock and schedule period (the caller disposes it).</summary>
    public Task<InProcessServer> StartAnotherAsync() => StartInnerAsync(Database, _clock, _schedulePeriod);

    /// <summary>Stops the server and starts a new one on the same database: what an upgrade or a restart does.</summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await Inner.DisposeAsync();
        Inner = await StartInnerAsync(Database, _clock, _schedulePeriod);
        Client = Inner.CreateClient();
    }

    /// <summary>Runs a statement on the database directly (what a manual edit or an older version could leave behind).</summary>
    public async Task<int> ExecuteSqlAsync(string sqlite, string postgres)
    {
        System.Data.Common.DbConnection connection = _postgres is null
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database.SqlitePath}")
            : new Npgsql.NpgsqlConnection(_postgres.ConnectionString);
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = _postgres is null ? sqlite : postgres;
            return await command.ExecuteNonQueryAsync();
        }
    }

    private static Task<InProcessServer> StartInnerAsync(DatabaseOptions database, TimeProvider? clock, TimeSpan schedulePeriod,
        bool backgroundProcesses = false) =>
        InProcessServer.StartAsync(database, clock, options =>
        {
            options.BackgroundProcesses = backgroundProcesses;
            options.Silo.SchedulePeriod = schedulePeriod;
        });

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = body is string text
                ? new StringContent(text, System.Text.Encoding.UTF8, "application/json")
                : JsonContent.Create(body);
        }

        using var response = await Client.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, content.Length == 0 ? null : JsonNode.Parse(content));
    }

    public async Task<JsonNode> PostOkAsync(string path, object? body = null)
    {
        var (status, json) = await SendAsync(HttpMethod.Post, path, body ?? new { });
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created, $"POST {path} answered {(int)status}: {json?.ToJsonString()}");
        return json!;
    }

    public async Task<JsonNode> GetOkAsync(string path)
    {
        var (status, json) = await SendAsync(HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {(int)status}: {json?.ToJsonString()}");
        return json!;
    }

    /// <summary>A flow and a deployment of it on <paramref name="pool"/> (created when given), returning the deployment id.</summary>
    public async Task<string> CreateDeploymentAsync(string? pool = null, string? queue = null, object? schedule = null, object? parameterSchema = null,
        object? parameters = null, string? name = null)
    {
        var flow = await PostOkAsync("flows/", new { name = "flow-" + Guid.NewGuid().ToString("N")[..8] });
        if (pool is not null)
        {
            var (status, _) = await SendAsync(HttpMethod.Post, "work_pools/", new { name = pool, type = "process" });
            Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Conflict);
        }

        var deployment = await PostOkAsync("deployments/", new
        {
            name = name ?? "dep",
            flow_id = flow["id"]!.GetValue<string>(),
            work_pool_name = pool,
            work_queue_name = queue,
            schedule,
            parameter_openapi_schema = parameterSchema,
            parameters = parameters ?? new { },
        });
        return deployment["id"]!.GetValue<string>();
    }

    public async Task<string> CreateRunAsync(string deploymentId, DateTimeOffset? due = null)
    {
        object body = due is { } time
            ? new { state = new { type = "SCHEDULED", state_details = new { scheduled_time = time } } }
            : new { };
        var run = await PostOkAsync($"deployments/{deploymentId}/create_flow_run", body);
        return run["id"]!.GetValue<string>();
    }

    public static List<string> Ids(JsonNode list, string? inner = null) =>
        [.. list.AsArray().Select(n => (inner is null ? n : n![inner])!["id"]!.GetValue<string>())];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Inner.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _files?.Dispose();
    }
}
