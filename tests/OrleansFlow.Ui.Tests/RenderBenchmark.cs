using System.Diagnostics;
using System.Globalization;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;
using Xunit.Abstractions;

namespace OrleansFlow.Ui.Tests;

/// <summary>Measures the server-side render of the flow-runs page (every filter, sort and deep pages) and of the
/// dashboard over a large database, on SQLite and on PostgreSQL:
/// <c>ORLEANSFLOW_UI_BENCH_RUNS=1000000 dotnet test tests/OrleansFlow.Ui.Tests --filter RenderBenchmark --logger "console;verbosity=detailed"</c>.
/// The runs look like real ones (<see cref="BenchData"/>). <c>ORLEANSFLOW_UI_BENCH_SQLITE=/path/file.db</c> and
/// <c>ORLEANSFLOW_UI_BENCH_POSTGRES=postgresql://…</c> name databases to keep between runs: loaded on the first run, reused
/// (and migrated) after, so a change is measured before and after on the same data. The benchmark reports times and
/// asserts only what the pages show: tests never assert on wall-clock timings.</summary>
public sealed partial class RenderBenchmark(ITestOutputHelper output)
{
    internal const string Variable = "ORLEANSFLOW_UI_BENCH_RUNS";

    [BenchmarkFact]
    public async Task FlowRunsPage_ManyRunsInSqlite_RenderTimes()
    {
        using var files = new SqliteFiles();
        var kept = Environment.GetEnvironmentVariable("ORLEANSFLOW_UI_BENCH_SQLITE");
        var database = kept is { Length: > 0 } ? files.Options(kept) : files.NewDatabase();
        await MeasureAsync(database, SeedSqliteAsync);
    }

    [BenchmarkFact]
    public async Task FlowRunsPage_ManyRunsInPostgres_RenderTimes()
    {
        var kept = Environment.GetEnvironmentVariable("ORLEANSFLOW_UI_BENCH_POSTGRES");
        PostgresTestDatabase? throwaway = kept is { Length: > 0 } ? null : await PostgresServer.CreateDatabaseAsync();
        try
        {
            await MeasureAsync(new DatabaseOptions { DatabaseUrl = kept is { Length: > 0 } ? kept : throwaway!.Url }, SeedPostgresAsync);
        }
        finally
        {
            if (throwaway is not null)
            {
                await throwaway.DisposeAsync();
            }
        }
    }

    private async Task MeasureAsync(DatabaseOptions database, Func<DatabaseOptions, BenchData, Task> seed)
    {
        var runs = int.Parse(Environment.GetEnvironmentVariable(Variable)!, CultureInfo.InvariantCulture);
        var start = Stopwatch.StartNew();
        // No scheduler, late-run marker or reaper: they would change the runs (the reaper crashes the silent RUNNING ones)
        // between a measurement and the next one on a kept database.
        await using var server = await InProcessServer.StartAsync(database, configure: options => options.BackgroundProcesses = false);
        output.WriteLine($"{database.Dialect}: server started (migrations included) in {start.Elapsed.TotalSeconds:0.0} s");
        var data = await BenchData.PrepareAsync(new ApiData(server.CreateClient()), runs);
        if (data.Loaded < runs)
        {
            var load = Stopwatch.StartNew();
            await seed(database, data);
            output.WriteLine($"loaded {runs:N0} runs in {load.Elapsed.TotalSeconds:0.0} s");
        }
        else
        {
            output.WriteLine($"reusing {data.Loaded:N0} runs");
        }

        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        string[] paths =
        [
            "/runs", "/runs?page=2", "/runs?page=400", "/runs?page=4000",
            "/runs?state=FAILED", "/runs?state=CRASHED", "/runs?state=FAILED&state=CRASHED", "/runs?state=SCHEDULED&sort=EXPECTED_START_TIME_ASC",
            $"/runs?flow={BenchData.FlowNames[3]}", $"/runs?deployment={BenchData.DeploymentName(2)}",
            "/runs?tag=nightly", "/runs?tag=prod", "/runs?q=brave-otter", "/runs?q=brave", "/runs?q=zzz-none",
            "/runs?range=1h", "/runs?range=24h", "/runs?range=7d&state=FAILED",
            "/runs?sort=EXPECTED_START_TIME_ASC", "/runs?sort=START_TIME_DESC", "/runs?sort=END_TIME_DESC", "/runs?sort=NAME_ASC",
            "/runs?sort=NAME_DESC", "/runs?sort=NAME_ASC&page=400",
            "/?window=1h", "/?window=24h", "/?window=7d", "/?window=30d",
            $"/flows/{data.Flows[3]}?window=24h", $"/flows/{data.Flows[3]}?window=30d", $"/deployments/{data.Deployments[2]}?window=7d",
        ];
        output.WriteLine($"{"case",-56} {"median",9} {"min",9} {"max",9}");
        foreach (var path in paths)
        {
            var times = new List<double>();
            var html = await http.GetStringAsync(path); // warm-up
            var spent = Stopwatch.StartNew();
            for (var i = 0; i < 5 && (i < 3 || spent.Elapsed < TimeSpan.FromSeconds(10)); i++)
            {
                var watch = Stopwatch.StartNew();
                html = await http.GetStringAsync(path);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            output.WriteLine($"{path,-56} {times[times.Count / 2],6:0.0} ms {times[0],6:0.0} ms {times[^1],6:0.0} ms");
            Assert.Contains("</html>", html);
            if (path.StartsWith("/runs", StringComparison.Ordinal) && !path.Contains("zzz", StringComparison.Ordinal) && !path.Contains("page=", StringComparison.Ordinal))
            {
                Assert.Contains("<table class=\"runs\"", html);
            }

            if (!path.StartsWith("/runs", StringComparison.Ordinal))
            {
                // The charts are there, with the runs of the window.
                Assert.True(html.Contains("class=\"seg state-completed\"", StringComparison.Ordinal),
                    $"{path}: the chart shows no completed run. The runs are placed relative to the time they were loaded, so a database " +
                    "kept between runs has none in the last hour an hour after its load: drop it and load it again.");
            }
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
