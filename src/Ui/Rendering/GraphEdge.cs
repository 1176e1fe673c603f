namespace OrleansFlow.Ui.Rendering;

/// <summary>A dependency drawn by <see cref="TaskGraphLayout"/>: <see cref="From"/> feeds <see cref="To"/>.</summary>
internal sealed record GraphEdge(GraphNode From, GraphNode To);
