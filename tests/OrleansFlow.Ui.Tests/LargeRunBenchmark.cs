using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;
using Xunit.Abstractions;

namespace OrleansFlow.Ui.Tests;

/// <summary>Measures the flow-run page of a run with thousands of task runs (a map over one upstream task and a reduce
/// taking every mapped result, as Prefect's <c>task.map</c> makes) in a fresh SQLite database and a fresh PostgreSQL
/// database (tests/OrleansFlow.Testing's <see cref="PostgresServer"/>): the server-side render
/// and Chromium's DOMContentLoaded / load, plus the page of the reduce task run with its thousands of inputs
/// (<c>ORLEANSFLOW_UI_BENCH_TASKS=5000 dotnet test tests/OrleansFlow.Ui.Tests --filter LargeRunBenchmark</c>). It reports
/// times and asserts only what the pages show: tests never assert on wall-clock timings.</summary>
public sealed class LargeRunBenchmark(ITestOutputHelper output)
{
    internal const string Variable = "ORLEANSFLOW_UI_BENCH_TASKS";

    [LargeRunBenchmarkFact]
    public async Task FlowRunPage_ThousandsOfTaskRuns_RenderAndBrowserLoadTimes()
    {
        var count = int.Parse(Environment.GetEnvironmentVariable(Variable)!, CultureInfo.InvariantCulture);
        output.WriteLine("SQLite");
        await MeasureAsync(count, null);
        await using var postgres = await PostgresServer.CreateDatabaseAsync();
        output.WriteLine("PostgreSQL");
        await MeasureAsync(count, postgres.Options());
    }

    private async Task MeasureAsync(int count, DatabaseOptions? database)
    {
        await using var server = await InProcessServer.StartAsync(database);
        var api = new ApiData(server.CreateClient());
        var flow = await api.FlowAsync("bench-map-reduce");
        var run = await api.FlowRunAsync(flow, "huge-map", "RUNNING");

        var load = Stopwatch.StartNew();
        var extract = await api.TaskRunAsync(run, "extract", "RUNNING");
        await api.SetTaskStateAsync(extract, "COMPLETED");
        var mapped = new Guid[count - 2];
        using (var gate = new SemaphoreSlim(8))
        {
            await Task.WhenAll(Enumerable.Range(0, mapped.Length).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    mapped[i] = await api.TaskRunAsync(run, "transform", "RUNNING", taskInputs: ApiData.Inputs(("rows", [extract])),
                        dynamicKey: i.ToString(CultureInfo.InvariantCulture));
                    await api.SetTaskStateAsync(mapped[i], i % 50 == 7 ? "FAILED" : "COMPLETED");
                    if (i % 10 == 0)
                    {
                        await api.LogAsync(run, i % 50 == 7 ? 40 : 20, $"transform {i} done", mapped[i]);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var reduce = await api.TaskRunAsync(run, "reduce", "PENDING", taskInputs: ApiData.Inputs(("parts", mapped)));
        output.WriteLine($"made {count:N0} task runs through the API in {load.Elapsed.TotalSeconds:0.0} s");

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        foreach (var path in new[] { $"/runs/{run}", $"/task-runs/{reduce}", $"/task-runs/{mapped[0]}" })
        {
            var times = new List<double>();
            var html = "";
            for (var i = 0; i < 7; i++)
            {
                var watch = Stopwatch.StartNew();
                html = await http.GetStringAsync(path);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            output.WriteLine($"server render {path,-52} median {times[3],7:0.0} ms  min {times[0],7:0.0} ms  max {times[^1],7:0.0} ms  {html.Length / 1024,5} KiB");
            Assert.Contains("</html>", html);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        });
        foreach (var path in new[] { $"/runs/{run}", $"/task-runs/{reduce}" })
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var context = await browser.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = server.BaseAddress.ToString(),
                    ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
                });
                var page = await context.NewPageAsync();
                var watch = Stopwatch.StartNew();
                await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 120_000 });
                var wall = watch.Elapsed.TotalMilliseconds;

                // Responsive once loaded: a script round trip and a scroll to the end answer at once.
                watch.Restart();
                var timing = await page.EvaluateAsync<JsonElement>("""
                    () => { window.scrollTo(0, document.body.scrollHeight);
                      const n = performance.getEntriesByType('navigation')[0];
                      return { ttfb: n.responseStart, response: n.responseEnd, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                               nodes: document.getElementsByTagName('*').length }; }
                    """);
                var roundTrip = watch.Elapsed.TotalMilliseconds;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"chromium {path,-52} ttfb {timing.GetProperty("ttfb").GetDouble(),6:0} ms  response end {timing.GetProperty("response").GetDouble(),6:0} ms  DOMContentLoaded {timing.GetProperty("dcl").GetDouble(),6:0} ms  load {timing.GetProperty("load").GetDouble(),6:0} ms  (goto {wall,6:0} ms)  script round trip {roundTrip,5:0} ms  {timing.GetProperty("nodes").GetInt32()} elements"));
                if (path.StartsWith("/runs/", StringComparison.Ordinal))
                {
                    Assert.Equal(200, await page.Locator("svg.task-graph a.node").CountAsync());
                    Assert.Contains($"{count}", await page.Locator("#tasks-h .count").InnerTextAsync());
                }

                await context.CloseAsync();
            }
        }
    }
}

/// <summary>Runs only when <c>ORLEANSFLOW_UI_BENCH_TASKS</c> names a number of task runs to make.</summary>
public sealed class LargeRunBenchmarkFactAttribute : FactAttribute
{
    public LargeRunBenchmarkFactAttribute()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(LargeRunBenchmark.Variable), out var tasks) || tasks < 3)
        {
            Skip = $"A benchmark: set {LargeRunBenchmark.Variable} (e.g. 5000) to run it.";
        }
        else if (!File.Exists(BrowserFixture.ChromiumPath))
        {
            Skip = $"Chromium is not installed at {BrowserFixture.ChromiumPath}.";
        }
    }
}
