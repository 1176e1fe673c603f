using OrleansFlow.Silo.Blocks;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.WorkPools;

namespace OrleansFlow.Ui.Rendering;

/// <summary>What an automation's actions may point at (deployments, work pools, block documents), with their names: the
/// choices of the form, and the names shown for the ids of an automation's actions.</summary>
internal sealed record AutomationChoices(
    IReadOnlyList<(Guid Id, string Name)> Deployments,
    IReadOnlyList<(Guid Id, string Name)> WorkPools,
    IReadOnlyList<(Guid Id, string Name)> Blocks)
{
    /// <summary>Every id with its name.</summary>
    public IReadOnlyDictionary<Guid, string> Names { get; } =
        Deployments.Concat(WorkPools).Concat(Blocks).GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First().Name);

    /// <summary>Loads up to 200 of each, by name.</summary>
    public static async Task<AutomationChoices> LoadAsync(DeploymentCatalog deployments, WorkPoolCatalog pools, BlockDocumentCatalog blocks,
        CancellationToken cancellationToken)
    {
        var deploymentList = await deployments.FilterAsync(Filters.Paged(Filters.Empty, "NAME_ASC", 200), cancellationToken).ConfigureAwait(false);
        var poolList = await pools.FilterPoolsAsync(Filters.Paged(Filters.Empty, null, 200), cancellationToken).ConfigureAwait(false);
        var blockList = await blocks.FilterAsync(Filters.Paged(Filters.Empty, null, 200), cancellationToken).ConfigureAwait(false);
        return new(
            [.. deploymentList.Select(d => (d.Id, d.Name))],
            [.. poolList.Select(p => (p.Id, p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal)],
            [.. blockList.Where(b => !b.IsAnonymous).Select(b => (b.Id, b.Name)).OrderBy(b => b.Name, StringComparer.Ordinal)]);
    }
}
