using System.Data.Common;
using System.Globalization;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Queries.History;

/// <summary>The UI's charts over time: flow runs per bucket and state, the duration and start delay of the runs per
/// bucket, a flow's most failing tasks, a work pool's queue depth, and a flow run's task-run states. Each chart is one
/// statement over index ranges, whose cost grows with the buckets, not with the runs: the counts are ranges of an index
/// (no timestamp computed, nothing sorted), the percentiles read at most <see cref="SampleSize"/> index entries per
/// bucket. The indexes hold every column the charts read: all runs by (state, expected start) (migrations 0004/0006) and
/// by expected start (0008), one flow's or one deployment's runs by expected start (0016).
/// Reads never take grain turns.</summary>
public sealed class RunHistoryQueries(OrleansFlowSilo silo)
{
    /// <summary>How many of a bucket's latest runs (by expected start) its percentiles are taken from: ordering every run
    /// of a 30-day window takes seconds over a million runs, reading 500 index entries per bucket does not.</summary>
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
        var buckets = BucketRows(where, window);
        string sql;
        if (scope == RunHistoryScope.All)
        {
            // Every (bucket, state) counted as a range of the (state type, expected start) index: no timestamp turned into
            // a bucket number, nothing grouped or sorted, no table row read.
            var states = string.Join(", ", Enum.GetValues<StateType>().Select(t => $"('{t.ToString().ToUpperInvariant()}')"));
            sql = $"WITH b (i, lo, hi) AS (VALUES {buckets}), s (t) AS (VALUES {states}) " +
                "SELECT b.i, s.t, (SELECT COUNT(*) FROM flow_runs WHERE state_type = s.t AND expected_start_time >= b.lo AND expected_start_time < b.hi) FROM b, s";
        }
        else
        {
            // One range of the scope's index per bucket (migration 0016: flow or deployment, then expected start, with the
            // state type in the entry), grouped by bucket number and state.
            sql = $"WITH b (i, lo, hi) AS (VALUES {buckets}) SELECT b.i, r.state_type, COUNT(*) FROM b JOIN flow_runs AS r " +
                $"ON {Range(where, "r.", "b.lo", "b.hi", scope)} GROUP BY b.i, r.state_type";
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

    /// <summary>The <paramref name="limit"/> flow runs of <paramref name="scope"/> expected to start latest before
    /// <paramref name="before"/>, latest first: read backwards from the scope's index (one flow's or one deployment's runs
    /// by expected start, migration 0016), so only those rows are read however many runs the scope has.</summary>
    public Task<List<FlowRun>> LatestRunsAsync(RunHistoryScope scope, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var where = new SqlWhere(silo.Database.Dialect);
        var clauses = Range(where, "", where.Param(DateTimeOffset.MinValue), where.Param(before), scope);
        var sql = $"SELECT data FROM flow_runs WHERE {clauses} ORDER BY expected_start_time DESC LIMIT {where.Param(limit)}";
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            return await command.ListJsonAsync<FlowRun>(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

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

    /// <summary>Each bucket's percentiles from its latest <see cref="SampleSize"/> runs with the measure (all of them when
    /// it has fewer), read backwards from the index of the scope: on PostgreSQL one lateral <c>LIMIT</c> per bucket and
    /// <c>percentile_disc</c> over the sample; on SQLite (no percentile function, no LATERAL) one <c>LIMIT</c> arm per
    /// bucket in one compound statement, ranked here.</summary>
    private async Task<List<RunPercentileBucket>> PercentilesAsync(RunHistoryWindow window, RunHistoryScope scope, string measure, string condition,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(scope);
        var where = new SqlWhere(silo.Database.Dialect);
        var limit = where.Param(SampleSize);
        if (Postgres)
        {
            var sql = $"WITH b (i, lo, hi) AS (VALUES {BucketRows(where, window)}) " +
                "SELECT b.i, COUNT(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY s.v), percentile_disc(0.95) WITHIN GROUP (ORDER BY s.v) " +
                $"FROM b CROSS JOIN LATERAL (SELECT {measure} AS v FROM flow_runs WHERE {Range(where, "", "b.lo", "b.hi", scope)} AND {condition} " +
                $"ORDER BY expected_start_time DESC LIMIT {limit}) AS s GROUP BY b.i";
            var rows = await ReadAsync(where, sql, r => (Bucket: Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture),
                Runs: Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture), P50: Seconds(r, 2), P95: Seconds(r, 3)), cancellationToken).ConfigureAwait(false);
            var byBucket = rows.Where(r => r.Bucket >= 0 && r.Bucket < window.Buckets).ToDictionary(r => r.Bucket);
            return Enumerable.Range(0, window.Buckets).Select(i => byBucket.TryGetValue(i, out var row)
                ? new RunPercentileBucket(i, window.BucketStart(i), row.Runs, row.P50, row.P95)
                : new RunPercentileBucket(i, window.BucketStart(i), 0, null, null)).ToList();
        }

        var arms = Enumerable.Range(0, window.Buckets).Select(i =>
            $"SELECT {i.ToString(CultureInfo.InvariantCulture)} AS bucket, v FROM (SELECT {measure} AS v FROM flow_runs " +
            $"WHERE {Range(where, "", where.Param(window.BucketStart(i)), where.Param(window.BucketStart(i + 1)), scope)} AND {condition} " +
            $"ORDER BY expected_start_time DESC LIMIT {limit})").ToList();
        var values = await ReadAsync(where, string.Join(" UNION ALL ", arms), r => (Bucket: Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture),
            Value: Convert.ToDouble(r.GetValue(1), CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
        var sampled = values.GroupBy(r => r.Bucket).ToDictionary(g => g.Key, g => g.Select(r => r.Value).Order().ToList());
        return Enumerable.Range(0, window.Buckets).Select(i => sampled.TryGetValue(i, out var sample)
            ? new RunPercentileBucket(i, window.BucketStart(i), sample.Count, NearestRank(sample, 0.5), NearestRank(sample, 0.95))
            : new RunPercentileBucket(i, window.BucketStart(i), 0, null, null)).ToList();
    }

    private static double NearestRank(List<double> sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double? Seconds(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToDouble(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    /// <summary>The rows <c>(number, start, end)</c> of the window's buckets, for a <c>VALUES</c> list.</summary>
    private static string BucketRows(SqlWhere where, RunHistoryWindow window) =>
        string.Join(", ", Enumerable.Range(0, window.Buckets).Select(i =>
            $"({i.ToString(CultureInfo.InvariantCulture)}, {where.Param(window.BucketStart(i))}, {where.Param(window.BucketStart(i + 1))})"));

    /// <summary>The runs of <paramref name="scope"/> expected to start from <paramref name="from"/> to before
    /// <paramref name="to"/> (SQL expressions); <paramref name="alias"/> prefixes the columns.</summary>
    private static string Range(SqlWhere where, string alias, string from, string to, RunHistoryScope scope)
    {
        var clauses = new List<string>();
        if (scope.FlowId is { } flow)
        {
            clauses.Add($"{alias}flow_id = {where.Param(flow)}");
        }

        if (scope.DeploymentId is { } deployment)
        {
            clauses.Add($"{alias}deployment_id = {where.Param(deployment)}");
        }

        if (scope.WorkPoolId is { } pool)
        {
            clauses.Add($"{alias}work_pool_id = {where.Param(pool)}");
        }

        clauses.Add($"{alias}expected_start_time >= {from}");
        clauses.Add($"{alias}expected_start_time < {to}");
        return string.Join(" AND ", clauses);
    }

    private Task<List<T>> ReadAsync<T>(SqlWhere where, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            return await command.ListAsync(map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
