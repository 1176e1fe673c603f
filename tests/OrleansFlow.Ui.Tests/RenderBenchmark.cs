using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OrleansFlow.Testing;
using Xunit.Abstractions;

namespace OrleansFlow.Ui.Tests;

/// <summary>Measures the server-side render of the flow-runs page and the dashboard over a large SQLite database
/// (<c>ORLEANSFLOW_UI_BENCH_RUNS=1000000 dotnet test tests/OrleansFlow.Ui.Tests --filter RenderBenchmark</c>). It reports
/// times and asserts only what the pages show: tests never assert on wall-clock timings.</summary>
public sealed class RenderBenchmark(ITestOutputHelper output)
{
    internal const string Variable = "ORLEANSFLOW_UI_BENCH_RUNS";

    [BenchmarkFact]
    public async Task FlowRunsPage_ManyRunsInSqlite_RenderTimes()
    {
        var runs = int.Parse(Environment.GetEnvironmentVariable(Variable)!, CultureInfo.InvariantCulture);
        using var files = new SqliteFiles();
        var database = files.NewDatabase();
        await using var server = await InProcessServer.StartAsync(database);
        var api = new ApiData(server.CreateClient());
        var flow = await api.FlowAsync("bench-flow");
        var template = await api.FlowRunAsync(flow, "template", "COMPLETED", ["bench"]);

        var load = Stopwatch.StartNew();
        await using (var connection = new SqliteConnection($"Data Source={database.SqlitePath}"))
        {
            await connection.OpenAsync();
            const int Batch = 100_000;
            for (var start = 0; start < runs; start += Batch)
            {
                await using var transaction = connection.BeginTransaction();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandTimeout = 0;
                // Clones the template with a unique id, a name, a state (one in five failed) and a start time one second apart.
                command.CommandText = """
                    WITH RECURSIVE n(i) AS (SELECT $start UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $end),
                    v AS (SELECT i,
                        printf('00000000-0000-7000-8000-%012x', i) AS id,
                        'run-' || i AS name,
                        CASE WHEN i % 5 = 0 THEN 'FAILED' ELSE 'COMPLETED' END AS st,
                        CASE WHEN i % 5 = 0 THEN 'Failed' ELSE 'Completed' END AS sn,
                        strftime('%Y-%m-%dT%H:%M:%S', 'now', '-' || ($end0 - i) || ' seconds') || '.000000Z' AS t
                      FROM n)
                    INSERT INTO flow_runs (id, flow_id, name, state_type, state_name, state_timestamp, expected_start_time, start_time,
                        end_time, tags, created, updated, version, data)
                    SELECT v.id, r.flow_id, v.name, v.st, v.sn, v.t, v.t, v.t, v.t, r.tags, v.t, v.t, 1,
                        json_set(r.data, '$.id', v.id, '$.name', v.name, '$.state_type', v.st, '$.state_name', v.sn,
                            '$.state.type', v.st, '$.state.name', v.sn, '$.expected_start_time', v.t)
                    FROM v, flow_runs AS r WHERE r.id = $template
                    """;
                command.Parameters.AddWithValue("$start", start);
                command.Parameters.AddWithValue("$end", Math.Min(start + Batch, runs));
                command.Parameters.AddWithValue("$end0", runs);
                command.Parameters.AddWithValue("$template", template.ToString());
                await command.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }

            await using var analyze = connection.CreateCommand();
            analyze.CommandText = "ANALYZE";
            await analyze.ExecuteNonQueryAsync();
        }

        output.WriteLine($"loaded {runs:N0} runs in {load.Elapsed.TotalSeconds:0.0} s");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        foreach (var path in new[]
        {
            "/runs", "/runs?state=FAILED", "/runs?flow=bench-flow", "/runs?tag=bench", "/runs?q=run-4242", "/runs?range=1h",
            "/runs?sort=NAME_ASC", "/runs?page=2000", "/?window=24h", "/?window=30d", $"/runs/{template}",
        })
        {
            var times = new List<double>();
            string html = "";
            for (var i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                html = await http.GetStringAsync(path);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            output.WriteLine($"{path,-28} median {times[2],8:0.0} ms   min {times[0],8:0.0} ms   max {times[4],8:0.0} ms");
            Assert.Contains("</html>", html);
        }
    }
}

/// <summary>Runs only when <c>ORLEANSFLOW_UI_BENCH_RUNS</c> names a number of runs to load.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(RenderBenchmark.Variable), out var runs) || runs <= 0)
        {
            Skip = "A benchmark: set ORLEANSFLOW_UI_BENCH_RUNS (e.g. 1000000) to run it.";
        }
    }
}
