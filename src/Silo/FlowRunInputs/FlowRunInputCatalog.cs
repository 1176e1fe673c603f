using System.Data.Common;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.FlowRunInputs;

/// <summary>The key/value inputs of flow runs (Prefect 2.15+'s <c>/flow_runs/{id}/input</c> routes).</summary>
public sealed class FlowRunInputCatalog(OrleansFlowSilo silo)
{
    /// <summary>Stores an input of the run <paramref name="flowRunId"/>; never replaces one with the same key.</summary>
    public Task<FlowRunInputCreate> CreateAsync(Guid flowRunId, string key, string value, string? sender, CancellationToken cancellationToken)
    {
        var now = silo.Clock.GetUtcNow();
        var id = silo.NewId();
        return silo.Database.WriteAsync(async session =>
        {
            await using (var insert = session.Named("flow_run_inputs.insert")
                .Add("id", id).Add("flow_run_id", flowRunId).Add("key", key).Add("value", value).Add("sender", sender).Add("now", now))
            {
                if (await insert.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return FlowRunInputCreate.Created;
                }
            }

            await using var exists = session.Named("flow_runs.exists").Add("id", flowRunId);
            return await exists.ScalarAsync(cancellationToken).ConfigureAwait(false) is null ? FlowRunInputCreate.RunNotFound : FlowRunInputCreate.KeyTaken;
        }, cancellationToken);
    }

    /// <summary>The input of <paramref name="flowRunId"/> under <paramref name="key"/>, or null.</summary>
    public Task<FlowRunInput?> GetAsync(Guid flowRunId, string key, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("flow_run_inputs.by_key").Add("flow_run_id", flowRunId).Add("key", key);
            return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>At most <paramref name="limit"/> inputs of the run whose key starts with <paramref name="prefix"/> and is
    /// not one of <paramref name="excludeKeys"/>, oldest first.</summary>
    public Task<List<FlowRunInput>> FilterAsync(Guid flowRunId, string prefix, int limit, IReadOnlyList<string> excludeKeys, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("flow_run_inputs.filter")
                .Add("flow_run_id", flowRunId).Add("prefix", prefix).AddTags("exclude_keys", excludeKeys).Add("limit", limit);
            return await command.ListAsync(Map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Deletes the input of <paramref name="flowRunId"/> under <paramref name="key"/>; false when there is none.</summary>
    public Task<bool> DeleteAsync(Guid flowRunId, string key, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            await using var command = session.Named("flow_run_inputs.delete").Add("flow_run_id", flowRunId).Add("key", key);
            return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    private static FlowRunInput Map(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        FlowRunId = Rows.Guid(reader, 1),
        Key = reader.GetString(2),
        Value = reader.GetString(3),
        Sender = Rows.String(reader, 4),
        Created = Rows.Time(reader, 5),
        Updated = Rows.Time(reader, 6),
    };
}
