using System.Buffers.Binary;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Queries.Changes;

/// <summary>What a shared change feed asks the database on each tick, for every watched run at once: the current states
/// of a set of runs, and which runs got log lines since a moment. Reads never take grain turns.</summary>
public sealed class RunChangeQueries(OrleansFlowSilo silo)
{
    /// <summary>Ids per statement (well under both databases' parameter limits).</summary>
    public const int Chunk = 500;

    /// <summary>The state type and name of each of the flow runs that exist among <paramref name="ids"/>.</summary>
    public Task<Dictionary<Guid, (StateType? Type, string? Name)>> FlowRunStatesAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        StatesAsync("flow_runs", ids, cancellationToken);

    /// <summary>The state type and name of each of the task runs that exist among <paramref name="ids"/>.</summary>
    public Task<Dictionary<Guid, (StateType? Type, string? Name)>> TaskRunStatesAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        StatesAsync("task_runs", ids, cancellationToken);

    /// <summary>The flow runs and task runs that log lines stored since <paramref name="since"/> belong to. Log ids are
    /// time-ordered (UUIDv7), so this reads a range of the primary key: its cost follows the lines written since, not
    /// the size of the table.</summary>
    public Task<(HashSet<Guid> FlowRuns, HashSet<Guid> TaskRuns)> RunsWithLogsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var where = new SqlWhere(silo.Database.Dialect);
        var sql = $"SELECT DISTINCT flow_run_id, task_run_id FROM logs WHERE id >= {where.Param(FirstIdAt(since))}";
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            var rows = await command.ListAsync(r => (Flow: Rows.Guid(r, 0), Task: Rows.NullableGuid(r, 1)), cancellationToken).ConfigureAwait(false);
            return (rows.Select(r => r.Flow).ToHashSet(), rows.Where(r => r.Task is not null).Select(r => r.Task!.Value).ToHashSet());
        }, cancellationToken);
    }

    /// <summary>The smallest UUIDv7 of the millisecond of <paramref name="time"/>.</summary>
    internal static Guid FirstIdAt(DateTimeOffset time)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, Math.Max(0, time.ToUnixTimeMilliseconds()) << 16);
        bytes[6] = 0x70;
        return new Guid(bytes, bigEndian: true);
    }

    private async Task<Dictionary<Guid, (StateType? Type, string? Name)>> StatesAsync(string table, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var states = new Dictionary<Guid, (StateType?, string?)>();
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var where = new SqlWhere(silo.Database.Dialect);
            var sql = $"SELECT id, state_type, state_name FROM {table} WHERE id IN ({string.Join(", ", chunk.Select(id => where.Param(id)))})";
            var rows = await silo.Database.ReadAsync(async session =>
            {
                await using var command = where.Bind(session.Text(sql));
                return await command.ListAsync(r => (Id: Rows.Guid(r, 0), Type: r.IsDBNull(1) ? null : r.GetString(1), Name: r.IsDBNull(2) ? null : r.GetString(2)),
                    cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                states[row.Id] = (row.Type is not null && Enum.TryParse<StateType>(row.Type, ignoreCase: true, out var type) ? type : null, row.Name);
            }
        }

        return states;
    }
}
