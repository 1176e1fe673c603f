using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Ui.Rendering;

/// <summary>A task run placed by <see cref="TaskGraphLayout"/>: its top-left corner.</summary>
internal sealed record GraphNode(TaskRun Task, int X, int Y);
