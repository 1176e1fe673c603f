using System.Text.Json;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Logs;

/// <summary>Run logs: batches written in one transaction, and Prefect's <c>/logs/filter</c> query.</summary>
public sealed class LogCatalog(OrleansFlowSilo silo)
{
    private static readonly HashSet<string> Sections = ["logs"];

    private static readonly Dictionary<string, string> Sorts = new()
    {
        ["TIMESTAMP_ASC"] = "timestamp ASC, id ASC",
        ["TIMESTAMP_DESC"] = "timestamp DESC, id DESC",
    };

    /// <summary>Stores a batch of logs (their ids and times are set here) in one transaction: all or none.</summary>
    public Task CreateAsync(IReadOnlyList<RunLog> logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logs);
        if (logs.Count == 0)
        {
            return Task.CompletedTask;
        }

        var now = silo.Clock.GetUtcNow();
        var stored = logs.Select(log => log with { Id = silo.NewId(), Created = now, Updated = now }).ToList();
        return silo.Database.WriteAsync(async session =>
        {
            await LogStore.InsertAsync(session, stored, now, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Logs matching a Prefect filter body (<c>logs</c>: level <c>ge_</c>/<c>le_</c>, timestamp
    /// <c>before_</c>/<c>after_</c>, flow and task run ids; <c>sort</c> — <c>TIMESTAMP_ASC</c> by default —, paging).</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<List<RunLog>> FilterAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, Sections, paged: true);
        var orderBy = Sorts.TryGetValue(request.Sort ?? "TIMESTAMP_ASC", out var sort)
            ? sort
            : throw new FilterException(["sort"], $"value is not a valid enumeration member; permitted: {string.Join(", ", Sorts.Keys.Select(k => $"'{k}'"))}");
        var where = new SqlWhere(silo.Database.Dialect);
        var clause = new FilterTranslator(where).Entity(request.Section("logs"), ResourceFilterFields.Logs, ["logs"]) ?? "1=1";
        return silo.Database.ReadAsync(async session =>
        {
            var sql = $"{SqlCatalog.Get(session.Dialect, "logs.select")} WHERE {clause} ORDER BY {orderBy} LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}";
            await using var command = where.Bind(session.Text(sql));
            return await command.ListAsync(LogStore.Map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }
}
