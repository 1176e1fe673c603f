using System.Text.Json;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.Queries;

namespace OrleansFlow.Gateway.FlowRuns;

/// <summary>The dependency graph of a flow run's task runs (Prefect's <c>GET /flow_runs/{id}/graph</c>).</summary>
internal static class FlowRunGraph
{
    public static async Task<List<Dictionary<string, object?>>> BuildAsync(Guid flowRunId, RunQueries queries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nodes = new List<Dictionary<string, object?>>();
        var offset = 0;
        while (true)
        {
            var filter = JsonSerializer.SerializeToElement(new Dictionary<string, object>
            {
                ["task_runs"] = new { flow_run_id = new { any_ = new[] { flowRunId } } },
                ["sort"] = "EXPECTED_START_TIME_ASC",
                ["limit"] = FilterRequest.MaxLimit,
                ["offset"] = offset,
            });
            var page = await queries.FilterTaskRunsAsync(filter, cancellationToken).ConfigureAwait(false);
            foreach (var run in page.Select(r => RunEstimates.Apply(r, now)))
            {
                nodes.Add(new Dictionary<string, object?>
                {
                    ["id"] = run.Id,
                    ["name"] = run.Name,
                    ["upstream_dependencies"] = Upstream(run.TaskInputs),
                    ["state"] = run.State,
                    ["expected_start_time"] = run.ExpectedStartTime,
                    ["start_time"] = run.StartTime,
                    ["end_time"] = run.EndTime,
                    ["total_run_time"] = run.TotalRunTime,
                    ["estimated_run_time"] = run.EstimatedRunTime,
                    ["untrackable_result"] = run.State?.StateDetails.UntrackableResult ?? false,
                });
            }

            if (page.Count < FilterRequest.MaxLimit)
            {
                return nodes;
            }

            offset += page.Count;
        }
    }

    private static List<JsonElement> Upstream(JsonElement? inputs)
    {
        var upstream = new List<JsonElement>();
        if (inputs is { ValueKind: JsonValueKind.Object } map)
        {
            foreach (var input in map.EnumerateObject())
            {
                if (input.Value.ValueKind == JsonValueKind.Array)
                {
                    // Only well-formed entries: what an older version stored unchecked (a null, a string) is skipped, not a 500.
                    upstream.AddRange(input.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object
                        && e.TryGetProperty("input_type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "task_run"));
                }
            }
        }

        return upstream;
    }
}
