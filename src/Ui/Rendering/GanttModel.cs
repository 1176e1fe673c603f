using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.Queries.History;

namespace OrleansFlow.Ui.Rendering;

/// <summary>A flow run's task runs as a Gantt chart: per task run the spans of its states (each run attempt its own
/// segment, the waits between them), on one time axis from the first task's first state; optionally zoomed to a range.</summary>
internal sealed class GanttModel
{
    public required DateTimeOffset Origin { get; init; }

    /// <summary>Seconds from the origin to the last segment's end.</summary>
    public required double Span { get; init; }

    /// <summary>The shown range, in seconds from the origin.</summary>
    public required double From { get; init; }

    public required double To { get; init; }

    public bool Zoomed => From > 0 || To < Span;

    public required IReadOnlyList<GanttRow> Rows { get; init; }

    /// <summary>Builds the rows from the task runs and their states (<paramref name="steps"/>, oldest first per task
    /// run). <paramref name="slotTags"/> are the tags with a concurrency limit: a task run with one of them that waited
    /// in PENDING waited for a slot. <paramref name="zoomFrom"/> and <paramref name="zoomTo"/> (seconds from the
    /// origin) narrow the view; out-of-range values are clamped.</summary>
    public static GanttModel Build(IReadOnlyList<TaskRun> tasks, IReadOnlyList<TaskRunStateStep> steps, IReadOnlySet<string> slotTags,
        DateTimeOffset now, double? zoomFrom, double? zoomTo)
    {
        var byTask = steps.GroupBy(s => s.TaskRunId).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Timestamp).ToList());
        var rows = new List<(TaskRun Task, List<(GanttKind Kind, DateTimeOffset Start, DateTimeOffset End, int Attempt, string Label, StateType? EndedIn)> Segments)>();
        foreach (var task in tasks)
        {
            var segments = new List<(GanttKind, DateTimeOffset, DateTimeOffset, int, string, StateType?)>();
            var states = byTask.GetValueOrDefault(task.Id) ?? [];
            var slotTag = task.Tags.FirstOrDefault(slotTags.Contains);
            var attempt = 0;
            for (var i = 0; i < states.Count; i++)
            {
                var state = states[i];
                var next = i + 1 < states.Count ? states[i + 1] : null;
                if (state.Type is StateType.Completed or StateType.Failed or StateType.Crashed or StateType.Cancelled)
                {
                    continue;
                }

                var end = next?.Timestamp ?? (task.EndTime ?? now);
                switch (state.Type)
                {
                    case StateType.Running:
                        attempt++;
                        // An attempt followed by AwaitingRetry failed (the retry rule replaced its FAILED).
                        var endedIn = next is null ? (task.StateType is StateType.Running ? null : task.StateType) : next.Type == StateType.Scheduled ? StateType.Failed : next.Type;
                        segments.Add((GanttKind.Run, state.Timestamp, end, attempt, $"attempt {attempt}", endedIn));
                        break;
                    case StateType.Pending:
                        segments.Add((GanttKind.Wait, state.Timestamp, end, attempt, slotTag is not null ? $"waiting for a concurrency slot ({slotTag})" : "pending", null));
                        break;
                    case StateType.Scheduled when attempt > 0:
                        segments.Add((GanttKind.RetryWait, state.Timestamp, end, attempt, state.Name == "AwaitingRetry" ? "awaiting retry" : state.Name, null));
                        break;
                    case StateType.Paused:
                        segments.Add((GanttKind.RetryWait, state.Timestamp, end, attempt, "paused", null));
                        break;
                    default:
                        break;
                }
            }

            // A task run whose states are not known (or never ran) still shows its start and end.
            if (segments.Count == 0 && task.StartTime is { } start)
            {
                segments.Add((GanttKind.Run, start, task.EndTime ?? now, 1, "run", task.StateType));
            }

            rows.Add((task, segments));
        }

        var all = rows.SelectMany(r => r.Segments).ToList();
        var origin = all.Count == 0 ? now : all.Min(s => s.Item2);
        var span = all.Count == 0 ? 0 : Math.Max(0, all.Max(s => (s.Item3 - origin).TotalSeconds));
        var from = Math.Clamp(zoomFrom ?? 0, 0, span);
        var to = Math.Clamp(zoomTo ?? span, 0, span);
        if (to - from < 0.001)
        {
            (from, to) = (0, span);
        }

        return new GanttModel
        {
            Origin = origin,
            Span = span,
            From = from,
            To = to,
            Rows = rows.Select(r => new GanttRow(r.Task, r.Segments.Select(s => new GanttSegment(s.Kind,
                (s.Start - origin).TotalSeconds, (s.End - origin).TotalSeconds, s.Attempt, s.Label, s.EndedIn)).ToList())).ToList(),
        };
    }

    /// <summary>Axis ticks: a 1, 2 or 5 step giving four to ten ticks over the shown range.</summary>
    public IReadOnlyList<double> Ticks()
    {
        var range = To - From;
        if (range <= 0)
        {
            return [From];
        }

        var raw = range / 6;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * power).First(s => s >= raw);
        var ticks = new List<double>();
        for (var t = Math.Ceiling(From / step) * step; t <= To + 1e-9; t += step)
        {
            ticks.Add(t);
        }

        return ticks;
    }
}
