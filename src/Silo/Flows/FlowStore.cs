using OrleansFlow.Grains.Flows;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Flows;

/// <summary>Rows of <c>flows</c>.</summary>
internal static class FlowStore
{
    /// <summary>Creates the flow named <paramref name="flow"/>.Name unless one exists; returns the stored flow and
    /// whether it was created now.</summary>
    public static async Task<(Flow Flow, bool Created)> UpsertAsync(DbSession session, Flow flow, CancellationToken cancellationToken)
    {
        int inserted;
        await using (var insert = session.Named("flows.upsert")
            .Add("id", flow.Id).Add("name", flow.Name).AddTags("tags", flow.Tags).Add("now", flow.Created).AddJson("data", flow))
        {
            inserted = await insert.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (inserted == 1)
        {
            return (flow, true);
        }

        var existing = await GetByNameAsync(session, flow.Name, cancellationToken).ConfigureAwait(false);
        return (existing ?? throw new InvalidOperationException($"Flow '{flow.Name}' vanished during an upsert."), false);
    }

    public static async Task<bool> ExistsAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flows.exists").Add("id", id);
        return await command.CountAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public static async Task<Flow?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flows.by_id").Add("id", id);
        return await command.FirstJsonAsync<Flow>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Flow?> GetByNameAsync(DbSession session, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flows.by_name").Add("name", name);
        return await command.FirstJsonAsync<Flow>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> UpdateAsync(DbSession session, Flow flow, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flows.update")
            .Add("id", flow.Id).AddTags("tags", flow.Tags).Add("now", flow.Updated).AddJson("data", flow);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task<bool> DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flows.delete").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
