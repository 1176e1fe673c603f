using System.Globalization;
using System.Text.Json;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Queries;

public sealed partial class RunQueries
{
    /// <summary>The average lateness in seconds of the flow runs matching a Prefect filter body (Prefect 2.11+'s
    /// <c>/flow_runs/lateness</c>): a started run counts how long after its expected start it started, a run not
    /// started, not finished and past its expected start counts how late it is now, any other counts 0. Null when no
    /// run matches.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<double?> AverageLatenessAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, RunSections, paged: false);
        var where = new SqlWhere(silo.Database.Dialect);
        var condition = SqlWhere.Join(FlowRunWhere(new FilterTranslator(where), request));
        var now = where.Param(silo.Clock.GetUtcNow());
        string Seconds(string later, string earlier) => silo.Database.Dialect == SqlDialect.Postgres
            ? $"EXTRACT(EPOCH FROM ({later} - {earlier}))"
            : $"((julianday({later}) - julianday({earlier})) * 86400.0)";
        var sql = $"""
            SELECT AVG(CASE
                WHEN start_time > expected_start_time THEN {Seconds("start_time", "expected_start_time")}
                WHEN start_time IS NULL AND (state_type IS NULL OR state_type NOT IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'))
                    AND expected_start_time < {now} THEN {Seconds(now, "expected_start_time")}
                ELSE 0 END)
            FROM flow_runs WHERE {condition}
            """;
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            return await command.ScalarAsync(cancellationToken).ConfigureAwait(false) is { } value
                ? Convert.ToDouble(value, CultureInfo.InvariantCulture)
                : (double?)null;
        }, cancellationToken);
    }
}
