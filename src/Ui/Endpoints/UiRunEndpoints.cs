using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Logs;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Ui.Rendering;

namespace OrleansFlow.Ui.Endpoints;

/// <summary>The flow-run and task-run pages' helpers: their live streams (new logs and state changes as Server-Sent Events)
/// and the flow run's actions (cancel, retry, pause, resume, delete), which go through the flow-run grain like the API's
/// <c>set_state</c>.</summary>
internal static class UiRunEndpoints
{
    /// <summary>The header the page's script sends with every action; a cross-site form cannot set it.</summary>
    public const string ActionHeader = "X-OrleansFlow-Ui";

    /// <summary>How often the shared feed (<see cref="RunChangeFeed"/>) looks for new logs and new states.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a run paused from the UI waits to be resumed before it fails (Prefect's <c>pause_flow_run</c> default).</summary>
    public static readonly TimeSpan PauseTimeout = TimeSpan.FromHours(1);

    private const int Batch = 200;

    /// <summary>Answers 403, before the handler runs, to a request without <see cref="ActionHeader"/>: the pages' actions
    /// go through this filter.</summary>
    public static TBuilder RequireActionHeader<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) => context.HttpContext.Request.Headers.ContainsKey(ActionHeader)
            ? await next(context).ConfigureAwait(false)
            : Results.StatusCode(StatusCodes.Status403Forbidden));

    public static void MapUiRunEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var runs = endpoints.MapGroup("/ui/runs/{id:guid}");
        var actions = runs.MapGroup("").RequireActionHeader();
        runs.MapGet("/stream", (Guid id, DateTimeOffset? after, HttpContext context, OrleansFlowSilo silo, LogCatalog logs, IHostApplicationLifetime lifetime,
            UiStreamLimits limits, RunChangeFeed feed) =>
            StreamAsync("flow_run_id", id, async ct => await silo.FlowRun(id).GetAsync(ct).ConfigureAwait(false) is { } run
                    ? new RunState(run.State is { } s ? (s.Type, s.Name) : null)
                    : null,
                after, context, logs, lifetime, limits, feed));
        endpoints.MapGet("/ui/task-runs/{id:guid}/stream", (Guid id, DateTimeOffset? after, HttpContext context, OrleansFlowSilo silo, LogCatalog logs,
            IHostApplicationLifetime lifetime, UiStreamLimits limits, RunChangeFeed feed) =>
            StreamAsync("task_run_id", id, async ct => await silo.TaskRun(id).GetAsync(ct).ConfigureAwait(false) is { } task
                    ? new RunState(task.StateType is { } type ? (type, task.StateName) : null)
                    : null,
                after, context, logs, lifetime, limits, feed));
        actions.MapPost("/cancel", (Guid id, HttpContext context, OrleansFlowSilo silo) =>
            ActAsync(context, () => silo.FlowRun(id).SetStateAsync(new ProposedState { Type = StateType.Cancelling, Message = "Cancelled from the UI" }, force: false, context.RequestAborted), $"/runs/{id}"));
        actions.MapPost("/retry", (Guid id, HttpContext context, OrleansFlowSilo silo) =>
            ActAsync(context, () => silo.FlowRun(id).SetStateAsync(new ProposedState
            {
                Type = StateType.Scheduled,
                Name = "AwaitingRetry",
                Message = "Retry from the UI",
                StateDetails = StateDetails.Empty with { ScheduledTime = silo.Clock.GetUtcNow() },
            }, force: true, context.RequestAborted), $"/runs/{id}"));
        // As Prefect's pause_flow_run: a RUNNING run proposes PAUSED with a timeout; the rules refuse any other state.
        actions.MapPost("/pause", (Guid id, HttpContext context, OrleansFlowSilo silo) =>
            ActAsync(context, () => silo.FlowRun(id).SetStateAsync(new ProposedState
            {
                Type = StateType.Paused,
                Name = "Paused",
                Message = "Paused from the UI",
                StateDetails = StateDetails.Empty with { PauseTimeout = silo.Clock.GetUtcNow() + PauseTimeout },
            }, force: false, context.RequestAborted), $"/runs/{id}"));
        actions.MapPost("/resume", (Guid id, HttpContext context, OrleansFlowSilo silo) =>
            ActAsync(context, () => silo.FlowRun(id).ResumeAsync(context.RequestAborted), $"/runs/{id}"));
        actions.MapPost("/delete", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            return await silo.FlowRun(id).DeleteAsync(context.RequestAborted).ConfigureAwait(false)
                ? Results.Json(new { redirect = "/runs" })
                : Results.NotFound(new { detail = "Flow run not found." });
        });
    }

    private static async Task<IResult> ActAsync(HttpContext context, Func<Task<SetStateResult>> act, string redirect)
    {
        try
        {
            var result = await act().ConfigureAwait(false);
            return Results.Json(new
            {
                redirect,
                status = result.Result.Status.ToString().ToUpperInvariant(),
                reason = result.Result.Details.Reason,
                // A rejection can still record a state: cancelling a SCHEDULED run that no worker started is refused and
                // the run CANCELLED at once (Prefect's rule), so the page reports what the run is now, not "not done".
                written = result.Written,
                state = result.Written ? result.Result.State is { } s ? OrleansFlow.Ui.Rendering.StateStyle.Wire(s.Type) : null : null,
            });
        }
        catch (KeyNotFoundException)
        {
            return Results.NotFound(new { detail = "Flow run not found." });
        }
    }

    /// <summary>Streams the logs whose <paramref name="field"/> (<c>flow_run_id</c> or <c>task_run_id</c>) is
    /// <paramref name="id"/> from <paramref name="after"/> on (the page sends the time of its last rendered line; the
    /// script drops lines it already shows) and the run's state whenever it changes, until the client goes away.</summary>
    /// <remarks>An unknown run answers 404 and a client over its share of <see cref="UiStreamLimits"/> 429 with
    /// <c>Retry-After</c>, before anything is streamed.</remarks>
    private static async Task StreamAsync(string field, Guid id, Func<CancellationToken, Task<RunState?>> getRun,
        DateTimeOffset? after, HttpContext context, LogCatalog logs, IHostApplicationLifetime lifetime, UiStreamLimits limits, RunChangeFeed feed)
    {
        if (await getRun(context.RequestAborted).ConfigureAwait(false) is not { } run)
        {
            await Results.NotFound(new { detail = "Run not found." }).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using var hold = limits.TryOpen(context.Connection.RemoteIpAddress);
        if (hold is null)
        {
            context.Response.Headers.RetryAfter = "10";
            await Results.Json(new { detail = "Too many live streams are open; close some pages or try again later." },
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        // The shared feed tells this stream when its run changed; it reads nothing until then.
        using var watch = feed.Subscribe(field == "task_run_id", id, run.State);
        var viewer = ViewerTime.From(context);

        // Ends with the page or with the server, so open tabs never hold up a shutdown.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = linked.Token;
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var since = after ?? DateTimeOffset.MinValue;
        var seenAtSince = new HashSet<Guid>();
        string? lastState = null;
        try
        {
            await context.Response.WriteAsync(": stream open\n\n", cancellationToken).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                var current = watch.State;
                var state = current is { } c ? $"{StateStyle.Wire(c.Type)}|{c.Name}" : "none";
                if (state != lastState)
                {
                    lastState = state;
                    await SendAsync(context, "state", new JsonObject
                    {
                        ["type"] = current is { } ct ? StateStyle.Wire(ct.Type) : null,
                        ["name"] = current is { } cn ? cn.Name ?? cn.Type.DefaultName() : null,
                        ["icon"] = StateStyle.Icon(current?.Type, current?.Name),
                        ["css"] = StateStyle.CssClass(current?.Type, current?.Name),
                    }, cancellationToken).ConfigureAwait(false);
                }

                List<RunLog> batch;
                do
                {
                    batch = await logs.FilterAsync(LogFilter(field, id, since), cancellationToken).ConfigureAwait(false);
                    foreach (var log in batch)
                    {
                        if (log.Timestamp < since)
                        {
                            continue;
                        }

                        if (log.Timestamp > since)
                        {
                            since = log.Timestamp;
                            seenAtSince.Clear();
                        }

                        if (!seenAtSince.Add(log.Id))
                        {
                            continue;
                        }

                        await SendAsync(context, "log", new JsonObject
                        {
                            ["id"] = log.Id,
                            ["level"] = log.Level,
                            ["levelName"] = Format.LevelName(log.Level),
                            ["timestamp"] = Format.Iso(log.Timestamp),
                            ["time"] = viewer.Time(log.Timestamp),
                            ["title"] = viewer.Title(log.Timestamp),
                            ["name"] = log.Name,
                            ["message"] = log.Message,
                            ["taskRunId"] = log.TaskRunId,
                        }, cancellationToken).ConfigureAwait(false);
                    }
                }
                while (batch.Count == Batch && batch[^1].Timestamp > batch[0].Timestamp);

                await watch.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static JsonElement LogFilter(string field, Guid id, DateTimeOffset since)
    {
        var logs = new JsonObject { [field] = new JsonObject { ["any_"] = new JsonArray(id.ToString()) } };
        if (since > DateTimeOffset.MinValue)
        {
            logs["timestamp"] = new JsonObject { ["after_"] = since.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) };
        }

        return JsonSerializer.SerializeToElement(new JsonObject { ["logs"] = logs, ["sort"] = "TIMESTAMP_ASC", ["limit"] = Batch });
    }

    private static async Task SendAsync(HttpContext context, string name, JsonObject data, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {data.ToJsonString()}\n\n", cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A run that exists, with its state (null before it has one).</summary>
    private sealed record RunState((StateType Type, string? Name)? State);
}
