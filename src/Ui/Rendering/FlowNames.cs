using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Silo.Queries;

namespace OrleansFlow.Ui.Rendering;

/// <summary>Flow names for the flows of one page of runs: one query by id.</summary>
internal static class FlowNames
{
    public static async Task<IReadOnlyDictionary<Guid, string>> ForAsync(RunQueries queries, IEnumerable<Guid> flowIds)
    {
        var ids = flowIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        var body = JsonSerializer.SerializeToElement(new JsonObject
        {
            ["flows"] = new JsonObject { ["id"] = new JsonObject { ["any_"] = new JsonArray([.. ids.Select(id => (JsonNode)id.ToString())]) } },
            ["limit"] = 200,
        });
        var flows = await queries.FilterFlowsAsync(body, CancellationToken.None).ConfigureAwait(false);
        return flows.ToDictionary(f => f.Id, f => f.Name);
    }
}
