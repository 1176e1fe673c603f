using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Ui.Rendering;

/// <summary>One task run of a Gantt chart and its segments.</summary>
internal sealed record GanttRow(TaskRun Task, IReadOnlyList<GanttSegment> Segments);
