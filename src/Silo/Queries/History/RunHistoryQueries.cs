using System.Data.Common;
using System.Globalization;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Queries.History;

/// <summary>The UI's charts over time: flow runs per bucket and state, the duration and start delay of the runs per
/// bucket, a flow's most failing tasks, a work pool's queue depth, and a flow run's task-run states. Each chart is one
/// statement over index ranges (migration 0008: expected start, state, start and end time in one index).
/// Reads never take grain turns.</summary>
public sealed class RunHistoryQueries(OrleansFlowSilo silo)
{
    /// <summary>On SQLite, how many of a bucket's latest runs its percentiles are taken from.</summary>
    public const int SampleSize = 500;

    private const string Terminal = "('COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED')";

    private bool Postgres => silo.Database.Dialect == SqlDialect.Postgres;

    /// <summary>How many flow runs of <paramref name="scope"/> expected to start in each bucket of
    /// <paramref name="window"/> are in each state type now; every bucket is returned, empty ones too.</summary>
    public async Task<List<RunCountBucket>> CountsAsync(RunHistoryWindow window, RunHistoryScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(scope);
        var where = new SqlWhere(silo.Database.Dialect);
        string sql;
        if (!Postgres && scope == RunHistoryScope.All)
        {
            // SQLite: grouping half a million runs by a computed bucket parses every timestamp and sorts them all
            // (seconds over a 30-day window). Counting each (bucket, state) as a range of the (state type, expected
            // start) index reads the same entries without either.
            var buckets = string.Join(", ", Enumerable.Range(0, window.Buckets).Select(i =>
                $"({i.ToString(CultureInfo.InvariantCulture)}, {where.Param(window.BucketStart(i))}, {where.Param(window.BucketStart(i + 1))})"));
            var states = string.Join(", ", Enum.GetValues<StateType>().Select(t => $"('{t.ToString().ToUpperInvariant()}')"));
            sql = $"WITH b (i, lo, hi) AS (VALUES {buckets}), s (t) AS (VALUES {states}) " +
                "SELECT b.i, s.t, (SELECT COUNT(*) FROM flow_runs WHERE state_type = s.t AND expected_start_time >= b.lo AND expected_start_time < b.hi) FROM b, s";
        }
        else
        {
            var bucket = Bucket(where, window);
            sql = $"SELECT {bucket} AS bucket, state_type, COUNT(*) FROM flow_runs WHERE {Range(where, window, scope)} GROUP BY bucket, state_type";
        }

        var rows = await ReadAsync(where, sql, r => (Bucket: Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture),
            Type: r.IsDBNull(1) ? null : r.GetString(1), Count: Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
        var counts = Enumerable.Range(0, window.Buckets).Select(_ => new Dictionary<StateType, long>()).ToList();
        foreach (var row in rows)
        {
            if (row.Count > 0 && row.Bucket >= 0 && row.Bucket < window.Buckets && row.Type is not null && Enum.TryParse<StateType>(row.Type, ignoreCase: true, out var type))
            {
                counts[row.Bucket][type] = row.Count;
            }
        }

        return counts.Select((c, i) => new RunCountBucket(i, window.BucketStart(i), c)).ToList();
    }

    /// <summary>The median and 95th percentile of how long the ended flow runs of each bucket ran (end minus start time).</summary>
    public Task<List<RunPercentileBucket>> DurationsAsync(RunHistoryWindow window, RunHistoryScope scope, CancellationToken cancellationToken) =>
        PercentilesAsync(window, scope,
            Postgres ? "extract(epoch FROM end_time - start_time)::float8" : "(julianday(end_time) - julianday(start_time)) * 86400.0",
            $"start_time IS NOT NULL AND end_time IS NOT NULL AND state_type IN {Terminal}", cancellationToken);

    /// <summary>The median and 95th percentile of how late the started flow runs of each bucket started (start minus
    /// expected start time; an early start counts as 0).</summary>
    public Task<List<RunPercentileBucket>> LatenessAsync(RunHistoryWindow window, RunHistoryScope scope, CancellationToken cancellationToken) =>
        PercentilesAsync(window, scope,
            Postgres ? "GREATEST(extract(epoch FROM start_time - expected_start_time)::float8, 0)" : "MAX((julianday(start_time) - julianday(expected_start_time)) * 86400.0, 0)",
            "start_time IS NOT NULL", cancellationToken);

    /// <summary>The task keys of <paramref name="flowId"/>'s runs expected to start since <paramref name="since"/> whose
    /// task runs failed most (FAILED or CRASHED), at most <paramref name="limit"/>, most failures first.</summary>
    public Task<List<TaskKeyFailures>> MostFailingTasksAsync(Guid flowId, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var where = new SqlWhere(silo.Database.Dialect);
        const string failed = "SUM(CASE WHEN state_type IN ('FAILED', 'CRASHED') THEN 1 ELSE 0 END)";
        var sql = $"SELECT task_key, MIN(name), {failed} AS failed, COUNT(*) FROM task_runs " +
            $"WHERE flow_run_id IN (SELECT id FROM flow_runs WHERE flow_id = {where.Param(flowId)} AND expected_start_time >= {where.Param(since)}) " +
            $"GROUP BY task_key HAVING {failed} > 0 ORDER BY failed DESC, task_key LIMIT {where.Param(limit)}";
        return ReadAsync(where, sql, r => new TaskKeyFailures(r.GetString(0), r.GetString(1),
            Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture)), cancellationToken);
    }

    /// <summary>Every state the given task runs entered, oldest first per task run (the payloads are not read).</summary>
    public Task<List<TaskRunStateStep>> TaskRunStepsAsync(IReadOnlyCollection<Guid> taskRunIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskRunIds);
        if (taskRunIds.Count == 0)
        {
            return Task.FromResult(new List<TaskRunStateStep>());
        }

        var where = new SqlWhere(silo.Database.Dialect);
        var ids = string.Join(", ", taskRunIds.Select(id => where.Param(id)));
        var sql = $"SELECT task_run_id, type, name, timestamp FROM task_run_states WHERE task_run_id IN ({ids}) ORDER BY task_run_id, timestamp, id";
        return ReadAsync(where, sql, r => new TaskRunStateStep(Rows.Guid(r, 0), Enum.Parse<StateType>(r.GetString(1), ignoreCase: true),
            r.GetString(2), Rows.Time(r, 3)), cancellationToken);
    }

    /// <summary>For each queue of the work pool, how many of its runs were waiting at the end of each bucket of
    /// <paramref name="window"/>: due, and neither started nor ended by then (runs due more than
    /// <paramref name="lookback"/> before the window are not counted; the last moment is <paramref name="now"/> when that
    /// is earlier than the window's end). Moments without waiting runs are left out.</summary>
    public Task<List<QueueDepthPoint>> QueueDepthAsync(Guid workPoolId, RunHistoryWindow window, TimeSpan lookback, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var where = new SqlWhere(silo.Database.Dialect);
        DateTimeOffset At(int i) => window.BucketStart(i + 1) < now ? window.BucketStart(i + 1) : now;
        var moments = string.Join(", ", Enumerable.Range(0, window.Buckets).Select(i =>
            $"({i.ToString(CultureInfo.InvariantCulture)}, {where.Param(At(i))})"));
        const string at = "moment.moment_at";
        var sql = $"WITH moment (i, moment_at) AS (VALUES {moments}) SELECT run.work_queue_id, moment.i, COUNT(*) FROM moment " +
            $"JOIN flow_runs AS run ON run.expected_start_time <= {at} AND (run.start_time IS NULL OR run.start_time > {at}) " +
            $"AND (run.end_time IS NULL OR run.end_time > {at}) " +
            $"WHERE run.work_pool_id = {where.Param(workPoolId)} AND run.work_queue_id IS NOT NULL " +
            $"AND run.expected_start_time >= {where.Param(window.From - lookback)} AND run.expected_start_time < {where.Param(window.To)} " +
            "GROUP BY run.work_queue_id, moment.i";
        return ReadAsync(where, sql, r =>
        {
            var index = Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture);
            return new QueueDepthPoint(Rows.Guid(r, 0), index, At(index), Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture));
        }, cancellationToken);
    }

    private async Task<List<RunPercentileBucket>> PercentilesAsync(RunHistoryWindow window, RunHistoryScope scope, string measure, string condition,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(scope);
        if (!Postgres)
        {
            return await SampledPercentilesAsync(window, scope, measure, condition, cancellationToken).ConfigureAwait(false);
        }

        var where = new SqlWhere(silo.Database.Dialect);
        var bucket = Bucket(where, window);
        var range = Range(where, window, scope);
        // Nearest rank on both databases: PostgreSQL's percentile_disc; on SQLite (no percentile function) the rows of
        // each bucket are numbered in order and the first at or past the rank is taken.
        var sql = Postgres
            ? $"SELECT {bucket} AS bucket, COUNT(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY {measure}), " +
              $"percentile_disc(0.95) WITHIN GROUP (ORDER BY {measure}) FROM flow_runs WHERE {range} AND {condition} GROUP BY bucket"
            : $"WITH measured AS (SELECT {bucket} AS bucket, {measure} AS v FROM flow_runs WHERE {range} AND {condition}), " +
              "ranked AS (SELECT bucket, v, ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY v) AS n, COUNT(*) OVER (PARTITION BY bucket) AS c FROM measured) " +
              "SELECT bucket, MAX(c), MIN(CASE WHEN n * 2 >= c THEN v END), MIN(CASE WHEN n * 20 >= c * 19 THEN v END) FROM ranked GROUP BY bucket";
        var rows = await ReadAsync(where, sql, r => (Bucket: Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture),
            Runs: Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture), P50: Seconds(r, 2), P95: Seconds(r, 3)), cancellationToken).ConfigureAwait(false);
        var byBucket = rows.Where(r => r.Bucket >= 0 && r.Bucket < window.Buckets).ToDictionary(r => r.Bucket);
        return Enumerable.Range(0, window.Buckets).Select(i => byBucket.TryGetValue(i, out var row)
            ? new RunPercentileBucket(i, window.BucketStart(i), row.Runs, row.P50, row.P95)
            : new RunPercentileBucket(i, window.BucketStart(i), 0, null, null)).ToList();
    }

    /// <summary>SQLite has no percentile function, and numbering every run of a 30-day window in order takes seconds
    /// over a million runs; so each bucket's percentiles are taken from its latest <see cref="SampleSize"/> runs (all of
    /// them when it has fewer), read backwards from the history index, one arm per bucket in one compound statement.</summary>
    private async Task<List<RunPercentileBucket>> SampledPercentilesAsync(RunHistoryWindow window, RunHistoryScope scope, string measure,
        string condition, CancellationToken cancellationToken)
    {
        var where = new SqlWhere(silo.Database.Dialect);
        var limit = where.Param(SampleSize);
        var arms = Enumerable.Range(0, window.Buckets).Select(i =>
        {
            var bucketWindow = new RunHistoryWindow(window.BucketStart(i), window.BucketSize, 1);
            return $"SELECT {i.ToString(CultureInfo.InvariantCulture)} AS bucket, v FROM (SELECT {measure} AS v FROM flow_runs " +
                $"WHERE {Range(where, bucketWindow, scope)} AND {condition} ORDER BY expected_start_time DESC LIMIT {limit})";
        }).ToList();
        var rows = await ReadAsync(where, string.Join(" UNION ALL ", arms), r => (Bucket: Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture),
            Value: Convert.ToDouble(r.GetValue(1), CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
        var byBucket = rows.GroupBy(r => r.Bucket).ToDictionary(g => g.Key, g => g.Select(r => r.Value).Order().ToList());
        return Enumerable.Range(0, window.Buckets).Select(i => byBucket.TryGetValue(i, out var values)
            ? new RunPercentileBucket(i, window.BucketStart(i), values.Count, NearestRank(values, 0.5), NearestRank(values, 0.95))
            : new RunPercentileBucket(i, window.BucketStart(i), 0, null, null)).ToList();
    }

    private static double NearestRank(List<double> sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double? Seconds(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToDouble(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    /// <summary>The bucket number of a run's expected start.</summary>
    private string Bucket(SqlWhere where, RunHistoryWindow window)
    {
        var origin = where.Param(window.From.ToUnixTimeSeconds());
        var size = where.Param((long)window.BucketSize.TotalSeconds);
        return Postgres
            ? $"CAST(floor((extract(epoch FROM expected_start_time) - {origin}) / {size}) AS integer)"
            : $"((unixepoch(expected_start_time) - {origin}) / {size})";
    }

    private static string Range(SqlWhere where, RunHistoryWindow window, RunHistoryScope scope)
    {
        var clauses = new List<string>
        {
            $"expected_start_time >= {where.Param(window.From)}",
            $"expected_start_time < {where.Param(window.To)}",
        };
        if (scope.FlowId is { } flow)
        {
            clauses.Add($"flow_id = {where.Param(flow)}");
        }

        if (scope.DeploymentId is { } deployment)
        {
            clauses.Add($"deployment_id = {where.Param(deployment)}");
        }

        if (scope.WorkPoolId is { } pool)
        {
            clauses.Add($"work_pool_id = {where.Param(pool)}");
        }

        return string.Join(" AND ", clauses);
    }

    private Task<List<T>> ReadAsync<T>(SqlWhere where, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            return await command.ListAsync(map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
