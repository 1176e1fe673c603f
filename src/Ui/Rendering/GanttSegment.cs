using OrleansFlow.Grains.States;

namespace OrleansFlow.Ui.Rendering;

/// <summary>A span of a task run in a Gantt chart, in seconds from the chart's origin.</summary>
/// <param name="Kind">A run attempt, a wait in PENDING (a concurrency slot), or a wait for a retry.</param>
/// <param name="Start">Seconds from the origin.</param>
/// <param name="End">Seconds from the origin.</param>
/// <param name="Attempt">The run attempt (1 for the first run; a wait carries the attempt before it).</param>
/// <param name="Label">What the span is, in words.</param>
/// <param name="EndedIn">For a run attempt: the state it ended in (its colour); null while it runs.</param>
internal sealed record GanttSegment(GanttKind Kind, double Start, double End, int Attempt, string Label, StateType? EndedIn);
