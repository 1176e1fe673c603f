using System.Text.Json;
using OrleansFlow.Silo.Queries;

namespace OrleansFlow.Silo.WorkPools;

public sealed partial class WorkPoolCatalog
{
    /// <summary>How many pools match a Prefect filter body (<c>work_pools</c>; Prefect 2.14+'s <c>/work_pools/count</c>).</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<long> CountPoolsAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, PoolSections, paged: false);
        var where = new SqlWhere(silo.Database.Dialect);
        var clause = new FilterTranslator(where).Entity(request.Section("work_pools"), WorkPoolFilterFields.WorkPools, ["work_pools"]) ?? "1=1";
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text($"SELECT COUNT(*) FROM work_pools WHERE {clause}"));
            return await command.CountAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }
}
