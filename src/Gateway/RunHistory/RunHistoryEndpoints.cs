using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Grains.Json;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Queries.History;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.RunHistory;

/// <summary>Prefect's history routes: <c>POST /api/flow_runs/history</c> and <c>/api/task_runs/history</c> (runs per
/// interval and state), and <c>POST /api/ui/flow_runs/history</c> (the rows of the UI's scatter chart).</summary>
internal static class RunHistoryEndpoints
{
    public static void MapRunHistory(this RouteGroupBuilder api)
    {
        api.MapPost("/flow_runs/history", (HttpContext context, RunQueries queries) =>
            HistoryAsync(context, queries.FlowRunHistoryAsync));
        api.MapPost("/task_runs/history", (HttpContext context, RunQueries queries) =>
            HistoryAsync(context, queries.TaskRunHistoryAsync));
        api.MapPost("/ui/flow_runs/history", async (HttpContext context, RunQueries queries, OrleansFlowSilo silo) =>
        {
            var runs = await queries.FlowRunScatterAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false);
            var now = silo.Clock.GetUtcNow();
            return ApiResults.Json(runs.Select(run => RunEstimates.Apply(run, now))
                .Select(run => new ScatterRun(run.Id, run.StateType, run.StartTime ?? run.ExpectedStartTime, run.EstimatedRunTime, run.EstimatedStartTimeDelta)));
        });
    }

    private static async Task<IResult> HistoryAsync(HttpContext context,
        Func<DateTimeOffset, DateTimeOffset, TimeSpan, JsonElement, CancellationToken, Task<List<RunStateHistory>>> query)
    {
        var body = await FilterBody.ReadAsync(context).ConfigureAwait(false);
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ApiValidationException([new ApiError(["body"], "value is not a valid dict", "type_error.dict")]);
        }

        var start = Time(body, "history_start");
        var end = Time(body, "history_end");
        var interval = Interval(body);
        return ApiResults.Json(await query(start, end, interval, body, context.RequestAborted).ConfigureAwait(false));
    }

    private static DateTimeOffset Time(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw ApiValidationException.Field(field, "field required", "value_error.missing");
        }

        try
        {
            return value.ValueKind == JsonValueKind.String
                ? value.Deserialize<DateTimeOffset>(OrleansFlowJson.Options)
                : throw ApiValidationException.Field(field, "invalid datetime format", "value_error.datetime");
        }
        catch (JsonException)
        {
            throw ApiValidationException.Field(field, "invalid datetime format", "value_error.datetime");
        }
    }

    /// <summary><c>history_interval_seconds</c>: a number of seconds (or its text), at least one second (Prefect's rule, in
    /// its words).</summary>
    private static TimeSpan Interval(JsonElement body)
    {
        const string Field = "history_interval_seconds";
        if (!body.TryGetProperty(Field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw ApiValidationException.Field(Field, "field required", "value_error.missing");
        }

        var seconds = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var n) => n,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
            _ => double.NaN,
        };
        if (!double.IsFinite(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw ApiValidationException.Field(Field, "invalid duration format: a number of seconds is expected", "value_error.duration");
        }

        return seconds < RunQueries.MinHistoryInterval.TotalSeconds
            ? throw ApiValidationException.Field(Field, "History interval must not be less than 1 second.")
            : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A row of <c>/ui/flow_runs/history</c> (Prefect's <c>SimpleFlowRun</c>).</summary>
    /// <param name="Id">The flow run's id.</param>
    /// <param name="StateType">Its state type.</param>
    /// <param name="Timestamp">When it started, or is expected to start.</param>
    /// <param name="Duration">Its run time so far, in seconds.</param>
    /// <param name="Lateness">How late it started (or is), in seconds.</param>
    private sealed record ScatterRun(Guid Id, StateType? StateType, DateTimeOffset? Timestamp, double Duration, double Lateness);
}
