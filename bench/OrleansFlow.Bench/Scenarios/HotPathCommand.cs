using System.Diagnostics;
using System.Net;
using System.Text;
using OrleansFlow.Bench.Cli;
using OrleansFlow.Bench.Reporting;

namespace OrleansFlow.Bench.Scenarios;

/// <summary>The <c>hotpath</c> command: upserts the flow, runs every concurrency level, prints and saves the report.</summary>
internal static class HotPathCommand
{
    public static async Task<int> RunAsync(HotPathOptions options, TextWriter output, TextWriter progress, CancellationToken stop)
    {
        if (!options.Api.EndsWith("/api", StringComparison.Ordinal))
        {
            await progress.WriteLineAsync(
                $"[hotpath] warning: --api {options.Api} does not end with /api; Prefect serves its REST API under /api");
        }

        var endpoints = new PrefectEndpoints(options.Api);
        using var http = BenchHttpClient.Create(options.Concurrency.Max(), TimeSpan.FromSeconds(options.TimeoutSeconds));

        var flowId = await UpsertFlowAsync(http, endpoints, options.FlowName, progress);
        if (flowId is null)
        {
            return ExitCodes.RunFailed;
        }

        await progress.WriteLineAsync(
            $"[hotpath] {options.Api}: flow '{options.FlowName}' = {flowId}; {options.TasksPerFlow} tasks per flow run, "
            + $"{4 + (4 * options.TasksPerFlow)} requests and {3 + (3 * options.TasksPerFlow)} transitions per iteration");

        var plan = new HotPathPlan(flowId, options.TasksPerFlow);
        var scenario = new HotPathScenario(http, endpoints, plan, options, progress);
        var results = new List<HotPathResult>();
        foreach (var concurrency in options.Concurrency)
        {
            if (stop.IsCancellationRequested)
            {
                break;
            }

            results.Add(await scenario.RunLevelAsync(concurrency, stop));
        }

        await TableReport.WriteAsync(output, options, results);
        var lines = results.Select(JsonReport.ToJsonLine).ToList();
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }

        if (options.JsonPath is not null)
        {
            await File.WriteAllLinesAsync(options.JsonPath, lines, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), CancellationToken.None);
            await progress.WriteLineAsync($"[hotpath] results written to {options.JsonPath}");
        }

        return results.Count > 0 && results.All(r => r.FlowRunsCompleted > 0) ? ExitCodes.Success : ExitCodes.RunFailed;
    }

    /// <summary>POST /flows/ (an upsert: 200 or 201); returns the flow id, or null after reporting why not.</summary>
    private static async Task<string?> UpsertFlowAsync(HttpClient http, PrefectEndpoints endpoints, string flowName, TextWriter progress)
    {
        var what = $"POST {endpoints.Flows}";
        try
        {
            using var content = new ReadOnlyMemoryContent(RequestBodies.Flow(flowName));
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            var stopwatch = Stopwatch.StartNew();
            using var response = await http.PostAsync(endpoints.Flows, content);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
            {
                var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500));
                await progress.WriteLineAsync($"error: {what} answered HTTP {(int)response.StatusCode}: {text}");
                return null;
            }

            var id = ResponseParser.ReadId(body);
            if (id is null)
            {
                await progress.WriteLineAsync($"error: {what} answered without a top-level \"id\"");
            }
            else
            {
                await progress.WriteLineAsync($"[hotpath] {what}: HTTP {(int)response.StatusCode} in {stopwatch.Elapsed.TotalMilliseconds:0.0} ms");
            }

            return id;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            await progress.WriteLineAsync($"error: {what} failed, is the server running? {ex.GetType().Name}: {ex.Message}");
            return null;
        }
    }
}
