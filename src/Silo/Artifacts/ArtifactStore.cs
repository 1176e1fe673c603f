using System.Data.Common;
using System.Text.Json;
using OrleansFlow.Grains.Json;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Artifacts;

/// <summary>Rows of <c>artifacts</c> and <c>artifact_collections</c> (the latest artifact per key), kept in step.</summary>
internal static class ArtifactStore
{
    /// <summary>Inserts an artifact and makes it its key's latest.</summary>
    public static async Task InsertAsync(DbSession session, Artifact artifact, Guid collectionId, CancellationToken cancellationToken)
    {
        await using (var command = Bind(session.Named("artifacts.insert"), artifact).Add("id", artifact.Id).Add("now", artifact.Created))
        {
            await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (artifact.Key is not null)
        {
            await using var upsert = Bind(session.Named("artifacts.collection_upsert"), artifact)
                .Add("id", collectionId).Add("latest_id", artifact.Id).Add("created", artifact.Created).Add("updated", artifact.Updated);
            await upsert.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<Artifact?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("artifacts.by_id").Add("id", id);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ArtifactCollection?> LatestAsync(DbSession session, string key, CancellationToken cancellationToken)
    {
        await using var command = session.Named("artifacts.collection_by_key").Add("key", key);
        return await command.FirstOrDefaultAsync(MapCollection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes an artifact's data, description and metadata, and its key's latest when it is the latest.</summary>
    public static async Task UpdateAsync(DbSession session, Artifact artifact, CancellationToken cancellationToken)
    {
        await using (var command = session.Named("artifacts.update").Add("id", artifact.Id).Add("data", Json(artifact.Data))
            .Add("description", artifact.Description).AddJson("metadata", artifact.Metadata).Add("now", artifact.Updated))
        {
            await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (artifact.Key is not null && await LatestAsync(session, artifact.Key, cancellationToken).ConfigureAwait(false) is { } latest && latest.LatestId == artifact.Id)
        {
            await RepointAsync(session, artifact, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes an artifact; when it was its key's latest, the next newest becomes the latest (or the key
    /// disappears with its last artifact).</summary>
    public static async Task<bool> DeleteAsync(DbSession session, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await GetAsync(session, id, cancellationToken).ConfigureAwait(false) is not { } artifact)
        {
            return false;
        }

        await using (var command = session.Named("artifacts.delete").Add("id", id))
        {
            await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (artifact.Key is { } key && await LatestAsync(session, key, cancellationToken).ConfigureAwait(false) is { } latest && latest.LatestId == id)
        {
            await using var next = session.Named("artifacts.latest_for_key").Add("key", key);
            if (await next.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false) is { } newest)
            {
                await RepointAsync(session, newest with { Updated = now }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await using var delete = session.Named("artifacts.collection_delete").Add("key", key);
                await delete.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    public static Artifact Map(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        Key = Rows.String(reader, 1),
        Type = Rows.String(reader, 2),
        Description = Rows.String(reader, 3),
        Data = JsonValue(reader, 4),
        Metadata = Metadata(reader, 5),
        FlowRunId = Rows.NullableGuid(reader, 6),
        TaskRunId = Rows.NullableGuid(reader, 7),
        Created = Rows.Time(reader, 8),
        Updated = Rows.Time(reader, 9),
    };

    public static ArtifactCollection MapCollection(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        Key = reader.GetString(1),
        LatestId = Rows.Guid(reader, 2),
        Type = Rows.String(reader, 3),
        Description = Rows.String(reader, 4),
        Data = JsonValue(reader, 5),
        Metadata = Metadata(reader, 6),
        FlowRunId = Rows.NullableGuid(reader, 7),
        TaskRunId = Rows.NullableGuid(reader, 8),
        Created = Rows.Time(reader, 9),
        Updated = Rows.Time(reader, 10),
    };

    private static async Task RepointAsync(DbSession session, Artifact latest, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("artifacts.collection_repoint"), latest)
            .Add("latest_id", latest.Id).Add("updated", latest.Updated);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqlCommand Bind(SqlCommand command, Artifact artifact) => command
        .Add("key", artifact.Key).Add("type", artifact.Type).Add("description", artifact.Description)
        .Add("data", Json(artifact.Data)).AddJson("metadata", artifact.Metadata)
        .Add("flow_run_id", artifact.FlowRunId).Add("task_run_id", artifact.TaskRunId);

    /// <summary>A JSON value as stored: JSON null and no value both store SQL NULL.</summary>
    private static string? Json(JsonElement? value) =>
        value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } data ? data.GetRawText() : null;

    private static JsonElement? JsonValue(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        using var document = JsonDocument.Parse(reader.GetString(ordinal));
        return document.RootElement.Clone();
    }

    private static Dictionary<string, string>? Metadata(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(ordinal), OrleansFlowJson.Options);
}
