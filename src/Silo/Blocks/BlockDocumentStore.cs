using System.Text.Json.Nodes;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Blocks;

/// <summary>Rows of <c>block_documents</c> and <c>block_document_references</c>. Documents are stored without the
/// fields that reference other documents; reads put the referenced documents' data back in.</summary>
internal static class BlockDocumentStore
{
    /// <summary>How deep references are followed (Prefect nests blocks one or two levels in practice).</summary>
    private const int MaxDepth = 16;

    /// <summary>Inserts a document holding <paramref name="data"/> (its secrets sealed already); false when its type
    /// already has a document with that name.</summary>
    public static async Task<bool> InsertAsync(DbSession session, BlockDocument document, JsonObject data, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_documents.insert")
            .Add("id", document.Id).Add("name", document.Name).Add("block_type_id", document.BlockTypeId)
            .Add("block_schema_id", document.BlockSchemaId).Add("data", data.ToJsonString())
            .Add("is_anonymous", document.IsAnonymous).Add("now", document.Created);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task UpdateAsync(DbSession session, Guid id, Guid blockSchemaId, JsonObject data, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_documents.update")
            .Add("id", id).Add("block_schema_id", blockSchemaId).Add("data", data.ToJsonString()).Add("now", now);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a document and the references from and to it; false when it does not exist.</summary>
    public static async Task<bool> DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        int deleted;
        await using (var command = session.Named("block_documents.delete").Add("id", id))
        {
            deleted = await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var references = session.Named("block_document_references.delete_for_document").Add("id", id);
        await references.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return deleted > 0;
    }

    /// <summary>Replaces the references a document makes.</summary>
    public static async Task SetReferencesAsync(DbSession session, Guid parentId, IReadOnlyList<(string Name, Guid ReferenceId)> references,
        Func<Guid> newId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var clear = session.Named("block_document_references.delete_for_parent").Add("parent_block_document_id", parentId))
        {
            await clear.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (name, referenceId) in references)
        {
            await using var insert = session.Named("block_document_references.insert")
                .Add("id", newId()).Add("parent_block_document_id", parentId).Add("reference_block_document_id", referenceId)
                .Add("name", name).Add("now", now);
            await insert.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The references the documents with <paramref name="parentIds"/> make, by parent.</summary>
    public static async Task<Dictionary<Guid, List<(string Name, Guid ReferenceId)>>> ReferencesAsync(DbSession session,
        IReadOnlyCollection<Guid> parentIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, List<(string, Guid)>>();
        if (parentIds.Count == 0)
        {
            return result;
        }

        var where = new SqlWhere(session.Dialect);
        var sql = $"{SqlCatalog.Get(session.Dialect, "block_document_references.select")} WHERE parent_block_document_id IN ({string.Join(", ", parentIds.Select(id => where.Param(id)))}) ORDER BY name";
        await using var command = where.Bind(session.Text(sql));
        foreach (var (parent, name, reference) in await command.ListAsync(r => (Rows.Guid(r, 0), r.GetString(1), Rows.Guid(r, 2)), cancellationToken).ConfigureAwait(false))
        {
            if (!result.TryGetValue(parent, out var list))
            {
                result[parent] = list = [];
            }

            list.Add((name, reference));
        }

        return result;
    }

    /// <summary>Documents matching <paramref name="condition"/> (on the <c>d</c>, <c>s</c>, <c>t</c> aliases, with
    /// parameters in <paramref name="where"/>), as stored.</summary>
    public static async Task<List<BlockDocument>> SelectAsync(DbSession session, SqlWhere where, string condition, CancellationToken cancellationToken)
    {
        var sql = $"{SqlCatalog.Get(session.Dialect, "block_documents.select")} WHERE {condition} ORDER BY d.name, d.id";
        await using var command = where.Bind(session.Text(sql));
        return await command.ListAsync(BlockRows.Document, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The documents with <paramref name="ids"/>, as stored.</summary>
    public static Task<List<BlockDocument>> ByIdsAsync(DbSession session, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return Task.FromResult(new List<BlockDocument>());
        }

        var where = new SqlWhere(session.Dialect);
        return SelectAsync(session, where, $"d.id IN ({string.Join(", ", ids.Select(id => where.Param(id)))})", cancellationToken);
    }

    /// <summary>Turns stored documents into what the API shows: sealed secrets opened with <paramref name="keys"/>,
    /// referenced documents' data inlined and summarized in <c>block_document_references</c>, secrets obfuscated unless
    /// <paramref name="includeSecrets"/>.</summary>
    public static async Task<List<BlockDocument>> ResolveAsync(DbSession session, List<BlockDocument> documents, bool includeSecrets, SecretKeyRing keys,
        CancellationToken cancellationToken)
    {
        var loaded = documents.ToDictionary(d => d.Id);
        var references = new Dictionary<Guid, List<(string Name, Guid ReferenceId)>>();
        var frontier = loaded.Keys.ToList();
        for (var depth = 0; depth < MaxDepth && frontier.Count > 0; depth++)
        {
            var found = await ReferencesAsync(session, frontier, cancellationToken).ConfigureAwait(false);
            foreach (var (parent, list) in found)
            {
                references[parent] = list;
            }

            var missing = found.Values.SelectMany(l => l).Select(r => r.ReferenceId).Where(id => !loaded.ContainsKey(id)).Distinct().ToList();
            foreach (var document in await ByIdsAsync(session, missing, cancellationToken).ConfigureAwait(false))
            {
                loaded[document.Id] = document;
            }

            frontier = missing;
        }

        return [.. documents.Select(d => Build(d, loaded, references, includeSecrets, keys, []))];
    }

    private static BlockDocument Build(BlockDocument stored, Dictionary<Guid, BlockDocument> loaded,
        Dictionary<Guid, List<(string Name, Guid ReferenceId)>> references, bool includeSecrets, SecretKeyRing keys, HashSet<Guid> visiting)
    {
        var data = BlockSecrets.Open(stored.Data, keys);
        if (!includeSecrets && stored.BlockSchema is { } schema)
        {
            BlockSecrets.Obfuscate(data, BlockSecrets.Paths(schema.Fields));
        }

        var summaries = new Dictionary<string, BlockDocumentReference>();
        visiting.Add(stored.Id);
        foreach (var (name, referenceId) in references.GetValueOrDefault(stored.Id) ?? [])
        {
            if (!loaded.TryGetValue(referenceId, out var child) || visiting.Contains(referenceId))
            {
                continue;
            }

            var full = Build(child, loaded, references, includeSecrets, keys, visiting);
            data[name] = full.Data.DeepClone();
            summaries[name] = new BlockDocumentReference(new BlockDocumentReferenceSummary(
                full.Id, full.Name, full.BlockType, full.IsAnonymous, full.BlockDocumentReferences));
        }

        visiting.Remove(stored.Id);
        return stored with { Data = data, BlockDocumentReferences = summaries };
    }
}
