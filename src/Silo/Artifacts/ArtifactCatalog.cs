using System.Globalization;
using System.Text.Json;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Artifacts;

/// <summary>Artifacts and the latest artifact of each key, with Prefect's <c>/filter</c> and <c>/count</c> queries.</summary>
public sealed class ArtifactCatalog(OrleansFlowSilo silo)
{
    private static readonly HashSet<string> Sections = ["artifacts", "flow_runs", "task_runs", "flows", "deployments"];

    private static readonly Dictionary<string, string> Sorts = new()
    {
        ["CREATED_DESC"] = "created DESC, id DESC",
        ["UPDATED_DESC"] = "updated DESC, id DESC",
        ["ID_DESC"] = "id DESC",
        ["KEY_DESC"] = "key DESC, id DESC",
        ["KEY_ASC"] = "key ASC, id ASC",
    };

    /// <summary>Creates an artifact (its id and times are set here); a keyed artifact becomes its key's latest.</summary>
    public Task<Artifact> CreateAsync(Artifact artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var now = silo.Clock.GetUtcNow();
        var created = artifact with { Id = silo.NewId(), Created = now, Updated = now };
        var collectionId = silo.NewId();
        return silo.Database.WriteAsync(async session =>
        {
            await ArtifactStore.InsertAsync(session, created, collectionId, cancellationToken).ConfigureAwait(false);
            return created;
        }, cancellationToken);
    }

    /// <summary>The artifact with <paramref name="id"/>, or null.</summary>
    public Task<Artifact?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => ArtifactStore.GetAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>The latest artifact of <paramref name="key"/>, or null.</summary>
    public Task<ArtifactCollection?> LatestAsync(string key, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => ArtifactStore.LatestAsync(session, key, cancellationToken), cancellationToken);

    /// <summary>Applies <paramref name="change"/> (to data, description and metadata); false when the artifact does not exist.</summary>
    public Task<bool> UpdateAsync(Guid id, Func<Artifact, Artifact> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return silo.Database.WriteAsync(async session =>
        {
            if (await ArtifactStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false) is not { } artifact)
            {
                return false;
            }

            var changed = change(artifact);
            await ArtifactStore.UpdateAsync(session, artifact with
            {
                Data = changed.Data, Description = changed.Description, Metadata = changed.Metadata, Updated = silo.Clock.GetUtcNow(),
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Deletes an artifact; false when it does not exist.</summary>
    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(session => ArtifactStore.DeleteAsync(session, id, silo.Clock.GetUtcNow(), cancellationToken), cancellationToken);

    /// <summary>Artifacts matching a Prefect filter body (<c>artifacts</c>, <c>flow_runs</c>, <c>task_runs</c>,
    /// <c>flows</c>, <c>sort</c> — <c>ID_DESC</c> by default —, paging).</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<List<Artifact>> FilterAsync(JsonElement body, CancellationToken cancellationToken) =>
        ListAsync("artifacts.select", body, ResourceFilterFields.Artifacts, ArtifactStore.Map, cancellationToken);

    /// <summary>Artifacts matching a Prefect filter body, as summaries: large data is left in the database (see
    /// <see cref="ArtifactSummary"/>).</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<List<ArtifactSummary>> SummariesAsync(JsonElement body, CancellationToken cancellationToken) =>
        ListAsync("artifacts.summary_select", body, ResourceFilterFields.Artifacts,
            reader => new ArtifactSummary(ArtifactStore.Map(reader), reader.GetInt64(10)), cancellationToken);

    /// <summary>How many artifacts match a Prefect filter body.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<long> CountAsync(JsonElement body, CancellationToken cancellationToken) =>
        CountAsync("artifacts", body, ResourceFilterFields.Artifacts, cancellationToken);

    /// <summary>Latest artifacts (one per key) matching a Prefect filter body.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<List<ArtifactCollection>> FilterLatestAsync(JsonElement body, CancellationToken cancellationToken) =>
        ListAsync("artifacts.collection_select", body, ResourceFilterFields.ArtifactCollections, ArtifactStore.MapCollection, cancellationToken);

    /// <summary>The latest artifact of each key matching a Prefect filter body, as summaries (see
    /// <see cref="ArtifactSummary"/>; the artifact's own id, not the collection's).</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<List<ArtifactSummary>> LatestSummariesAsync(JsonElement body, CancellationToken cancellationToken) =>
        ListAsync("artifacts.collection_summary_select", body, ResourceFilterFields.ArtifactCollections,
            reader => new ArtifactSummary(ArtifactStore.Map(reader), reader.GetInt64(10)), cancellationToken);

    /// <summary>How many keys' latest artifacts match a Prefect filter body.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<long> CountLatestAsync(JsonElement body, CancellationToken cancellationToken) =>
        CountAsync("artifact_collections", body, ResourceFilterFields.ArtifactCollections, cancellationToken);

    private Task<List<T>> ListAsync<T>(string select, JsonElement body, IReadOnlyDictionary<string, FilterField> fields,
        Func<System.Data.Common.DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, Sections, paged: true);
        var orderBy = Sorts.TryGetValue(request.Sort ?? "ID_DESC", out var sort)
            ? sort
            : throw new FilterException(["sort"], $"value is not a valid enumeration member; permitted: {string.Join(", ", Sorts.Keys.Select(k => $"'{k}'"))}");
        var where = new SqlWhere(silo.Database.Dialect);
        var clauses = Where(new FilterTranslator(where), request, fields);
        return silo.Database.ReadAsync(async session =>
        {
            var sql = $"{SqlCatalog.Get(session.Dialect, select)} WHERE {SqlWhere.Join(clauses)} ORDER BY {orderBy} LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}";
            await using var command = where.Bind(session.Text(sql));
            return await command.ListAsync(map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private Task<long> CountAsync(string table, JsonElement body, IReadOnlyDictionary<string, FilterField> fields, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, Sections, paged: false);
        var where = new SqlWhere(silo.Database.Dialect);
        var clauses = Where(new FilterTranslator(where), request, fields);
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text($"SELECT COUNT(*) FROM {table} WHERE {SqlWhere.Join(clauses)}"));
            return await command.CountAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static List<string> Where(FilterTranslator t, FilterRequest request, IReadOnlyDictionary<string, FilterField> fields)
    {
        var clauses = new List<string>();
        Add(clauses, t.Entity(request.Section("artifacts"), fields, ["artifacts"]), "{0}");
        Add(clauses, t.Entity(request.Section("flow_runs"), FilterFields.FlowRuns, ["flow_runs"]), "flow_run_id IN (SELECT id FROM flow_runs WHERE {0})");
        Add(clauses, t.Entity(request.Section("task_runs"), FilterFields.TaskRuns, ["task_runs"]), "task_run_id IN (SELECT id FROM task_runs WHERE {0})");
        Add(clauses, t.Entity(request.Section("flows"), FilterFields.Flows, ["flows"]),
            "flow_run_id IN (SELECT id FROM flow_runs WHERE flow_id IN (SELECT id FROM flows WHERE {0}))");
        if (request.Section("deployments") is { ValueKind: JsonValueKind.Object } deployments
            && deployments.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.Null && p.Name != "operator"))
        {
            throw new FilterException(["deployments"], "filtering by deployments is not supported by this server yet");
        }

        return clauses;
    }

    private static void Add(List<string> clauses, string? clause, string format)
    {
        if (clause is not null)
        {
            clauses.Add(string.Format(CultureInfo.InvariantCulture, format, clause));
        }
    }
}
