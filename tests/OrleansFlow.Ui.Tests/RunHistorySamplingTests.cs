using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Queries.History;
using OrleansFlow.Testing;

namespace OrleansFlow.Ui.Tests;

/// <summary>The charts' percentiles come from each bucket's latest <see cref="RunHistoryQueries.SampleSize"/> runs, and
/// the flow and deployment scopes count their own runs, on a real SQLite file and a real PostgreSQL database. One run
/// is made through the API, then copied 600 times in one statement (as the benchmark loads its runs): run k is expected
/// k seconds into the bucket and ran k seconds, and the first 400 belong to the deployment.</summary>
public sealed class RunHistorySamplingTests
{
    private const int Copies = 600;
    private const int Deployed = 400;
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task HistoryQueries_Sqlite_SampleTheLatestRunsAndCountPerScope()
    {
        using var files = new SqliteFiles();
        var path = files.NewPath();
        await CheckAsync(files.Options(path), async (template, deployment) =>
        {
            await using var connection = new SqliteConnection($"Data Source={path}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < $copies)
                INSERT INTO flow_runs (id, flow_id, name, state_type, state_name, state_timestamp, expected_start_time, start_time,
                    end_time, deployment_id, tags, created, updated, version, data)
                SELECT printf('00000000-0000-7000-8000-%012x', k), t.flow_id, t.name || k, t.state_type, t.state_name, t.state_timestamp,
                    strftime('%Y-%m-%dT%H:%M:%S', $t0 + k, 'unixepoch') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', $t0 + k, 'unixepoch') || '.000000Z',
                    strftime('%Y-%m-%dT%H:%M:%S', $t0 + 2 * k, 'unixepoch') || '.000000Z', CASE WHEN k <= $deployed THEN $deployment END,
                    t.tags, t.created, t.updated, t.version, t.data
                FROM n, flow_runs AS t WHERE t.id = $template
                """;
            command.Parameters.AddWithValue("$copies", Copies);
            command.Parameters.AddWithValue("$deployed", Deployed);
            command.Parameters.AddWithValue("$t0", T0.ToUnixTimeSeconds());
            command.Parameters.AddWithValue("$deployment", deployment.ToString());
            command.Parameters.AddWithValue("$template", template.ToString());
            Assert.Equal(Copies, await command.ExecuteNonQueryAsync());
        });
    }

    [Fact]
    public async Task HistoryQueries_Postgres_SampleTheLatestRunsAndCountPerScope()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await CheckAsync(database.Options(), async (template, deployment) =>
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                INSERT INTO flow_runs (id, flow_id, name, state_type, state_name, state_timestamp, expected_start_time, start_time,
                    end_time, deployment_id, tags, created, updated, version, data)
                SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(k), 12, '0'))::uuid, t.flow_id, t.name || k, t.state_type, t.state_name,
                    t.state_timestamp, @t0 + k * interval '1 second', @t0 + k * interval '1 second', @t0 + 2 * k * interval '1 second',
                    CASE WHEN k <= @deployed THEN @deployment END, t.tags, t.created, t.updated, t.version, t.data
                FROM generate_series(1, @copies) AS k, flow_runs AS t WHERE t.id = @template
                """, connection);
            command.Parameters.AddWithValue("copies", Copies);
            command.Parameters.AddWithValue("deployed", Deployed);
            command.Parameters.AddWithValue("t0", T0);
            command.Parameters.AddWithValue("deployment", deployment);
            command.Parameters.AddWithValue("template", template);
            Assert.Equal(Copies, await command.ExecuteNonQueryAsync());
        });
    }

    private static async Task CheckAsync(Silo.Storage.DatabaseOptions database, Func<Guid, Guid, Task> copy)
    {
        // The template run is made a day before the window, so only the copies fall in it.
        var clock = new ManualClock(T0 - TimeSpan.FromDays(1));
        await using var server = await InProcessServer.StartAsync(database, clock, options => options.BackgroundProcesses = false);
        var api = new ApiData(server.CreateClient());
        var flow = await api.FlowAsync("sampled-flow");
        var deployment = Guid.Parse((string)(await api.PostJsonAsync("deployments/", new() { ["name"] = "sampled", ["flow_id"] = flow.ToString() }))["id"]!);
        var template = await api.FlowRunAsync(flow, "copy-", "PENDING");
        await api.SetFlowStateAsync(template, "RUNNING");
        await api.SetFlowStateAsync(template, "COMPLETED");
        await copy(template, deployment);

        var queries = server.App.Services.GetRequiredService<RunHistoryQueries>();
        var window = new RunHistoryWindow(T0, TimeSpan.FromHours(1), 2);
        var ct = CancellationToken.None;

        // All 600 runs are counted; the percentiles come from the latest 500 by expected start (runs 101 to 600): by
        // nearest rank the median is run 350's duration and the 95th percentile run 575's (over all 600 they would be
        // 300 and 570).
        var counts = await queries.CountsAsync(window, RunHistoryScope.All, ct);
        Assert.Equal([(long)Copies, 0L], counts.Select(b => b.Total));
        var durations = await queries.DurationsAsync(window, RunHistoryScope.All, ct);
        Assert.Equal(RunHistoryQueries.SampleSize, durations[0].Runs);
        Assert.Equal(350, durations[0].P50Seconds!.Value, 3);
        Assert.Equal(575, durations[0].P95Seconds!.Value, 3);
        Assert.Equal(0, durations[1].Runs);
        Assert.Null(durations[1].P50Seconds);

        // The flow's scope holds the same runs; the deployment's the first 400 (all of them sampled: fewer than 500).
        var flowCounts = await queries.CountsAsync(window, new RunHistoryScope(FlowId: flow), ct);
        Assert.Equal(Copies, flowCounts[0].Counts[StateType.Completed]);
        var flowDurations = await queries.DurationsAsync(window, new RunHistoryScope(FlowId: flow), ct);
        Assert.Equal(RunHistoryQueries.SampleSize, flowDurations[0].Runs);
        Assert.Equal(350, flowDurations[0].P50Seconds!.Value, 3);
        var deployed = new RunHistoryScope(DeploymentId: deployment);
        var deploymentCounts = await queries.CountsAsync(window, deployed, ct);
        Assert.Equal(Deployed, deploymentCounts[0].Counts[StateType.Completed]);
        Assert.Empty(deploymentCounts[1].Counts);
        var deploymentDurations = await queries.DurationsAsync(window, deployed, ct);
        Assert.Equal(Deployed, deploymentDurations[0].Runs);
        Assert.Equal(200, deploymentDurations[0].P50Seconds!.Value, 3);
        Assert.Equal(380, deploymentDurations[0].P95Seconds!.Value, 3);
        var lateness = await queries.LatenessAsync(window, deployed, ct);
        Assert.Equal(Deployed, lateness[0].Runs);
        Assert.Equal(0, lateness[0].P50Seconds!.Value, 3);
    }
}
