using OrleansFlow.Grains.FlowRuns;

namespace OrleansFlow.Silo.Queries;

/// <summary>One page of flow runs and how many runs match in all, counted up to a cap (see
/// <see cref="RunQueries.FlowRunPageAsync"/>).</summary>
/// <param name="Runs">The runs of the page, in the requested order.</param>
/// <param name="Count">How many runs match, or the cap + 1 when more than the cap do.</param>
public sealed record FlowRunPage(List<FlowRun> Runs, long Count);
