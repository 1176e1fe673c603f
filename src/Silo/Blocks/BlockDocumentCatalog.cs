using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Blocks;

/// <summary>Block documents: the saved configurations of blocks. Reads resolve references to other documents and
/// obfuscate secret fields unless secrets are asked for.</summary>
public sealed class BlockDocumentCatalog(OrleansFlowSilo silo)
{
    private static readonly HashSet<string> Sections = ["block_documents", "block_types", "block_schemas"];

    /// <summary>Creates a block document. An anonymous document without a name is named <c>anonymous-{uuid}</c>.
    /// Top-level values of the form <c>{"$ref": {"block_document_id": "..."}}</c> reference other documents.</summary>
    /// <returns>The document as the API shows it (secrets obfuscated), or <see cref="BlockOutcome.Conflict"/> when
    /// the block type has a document with that name, or <see cref="BlockOutcome.WrongBlockType"/>.</returns>
    /// <exception cref="KeyNotFoundException">The block schema, block type or a referenced document does not exist.</exception>
    /// <exception cref="BlockDataException">The data leaves out a field the schema lists as required (a reference or a
    /// secret counts as given; values are not checked against their types, as Prefect's server does not).</exception>
    public async Task<(BlockDocument? Document, BlockOutcome Outcome)> CreateAsync(string? name, JsonObject data, Guid blockSchemaId,
        Guid blockTypeId, bool isAnonymous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        var now = silo.Clock.GetUtcNow();
        return await silo.Database.WriteAsync<(BlockDocument?, BlockOutcome)>(async session =>
        {
            var schema = await BlockSchemaStore.GetAsync(session, blockSchemaId, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException("Block schema not found");
            _ = await BlockTypeStore.GetAsync(session, blockTypeId, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException("Block type not found");
            if (schema.BlockTypeId != blockTypeId)
            {
                return (null, BlockOutcome.WrongBlockType);
            }

            if (MissingRequired(schema.Fields, data) is { Count: > 0 } missing)
            {
                throw new BlockDataException(missing);
            }

            var (stored, references) = BlockReferences.Separate(data);
            await BlockReferences.CheckExistAsync(session, references, cancellationToken).ConfigureAwait(false);
            var document = new BlockDocument
            {
                Id = silo.NewId(),
                Created = now,
                Updated = now,
                Name = isAnonymous && string.IsNullOrEmpty(name) ? $"anonymous-{Guid.NewGuid()}" : name!,
                Data = stored,
                BlockSchemaId = blockSchemaId,
                BlockTypeId = blockTypeId,
                IsAnonymous = isAnonymous,
            };
            var sealedData = BlockSecrets.Seal(stored, BlockSecrets.Paths(schema.Fields), silo.Database.Secrets);
            if (!await BlockDocumentStore.InsertAsync(session, document, sealedData, cancellationToken).ConfigureAwait(false))
            {
                return (null, BlockOutcome.Conflict);
            }

            await BlockDocumentStore.SetReferencesAsync(session, document.Id, references, silo.NewId, now, cancellationToken).ConfigureAwait(false);
            return ((await ReadAsync(session, [document.Id], includeSecrets: false, silo.Database.Secrets, cancellationToken).ConfigureAwait(false)).Single(),
                BlockOutcome.Done);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The block document with <paramref name="id"/> (anonymous or not), or null.</summary>
    public async Task<BlockDocument?> GetAsync(Guid id, bool includeSecrets, CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return (await silo.Database.ReadAsync(session => ReadAsync(session, [id], includeSecrets, silo.Database.Secrets, cancellationToken), cancellationToken).ConfigureAwait(false))
            .SingleOrDefault();
    }

    /// <summary>The document named <paramref name="name"/> of the block type with <paramref name="slug"/>, or null.</summary>
    public async Task<BlockDocument?> GetByNameAsync(string slug, string name, bool includeSecrets, CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.ReadAsync(async session =>
        {
            var where = new SqlWhere(session.Dialect);
            var found = await BlockDocumentStore.SelectAsync(session, where, $"t.slug = {where.Param(slug)} AND d.name = {where.Param(name)}", cancellationToken).ConfigureAwait(false);
            return (await BlockDocumentStore.ResolveAsync(session, found, includeSecrets, silo.Database.Secrets, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The named (not anonymous) documents of the block type with <paramref name="slug"/>, by name; null when
    /// the block type does not exist.</summary>
    public async Task<List<BlockDocument>?> ListForTypeAsync(string slug, bool includeSecrets, CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.ReadAsync(async session =>
        {
            if (await BlockTypeStore.GetBySlugAsync(session, slug, cancellationToken).ConfigureAwait(false) is not { } type)
            {
                return null;
            }

            var where = new SqlWhere(session.Dialect);
            var found = await BlockDocumentStore.SelectAsync(session, where,
                $"d.block_type_id = {where.Param(type.Id)} AND d.is_anonymous = {where.Param(false)}", cancellationToken).ConfigureAwait(false);
            return await BlockDocumentStore.ResolveAsync(session, found, includeSecrets, silo.Database.Secrets, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Block documents matching a Prefect filter body (<c>block_documents</c> — anonymous ones excluded unless
    /// <c>is_anonymous</c> says otherwise —, <c>block_types</c>, <c>block_schemas</c>, <c>include_secrets</c>, paging),
    /// by name.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public async Task<List<BlockDocument>> FilterAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var includeSecrets = false;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("include_secrets", out var secrets))
        {
            includeSecrets = secrets.ValueKind != JsonValueKind.Null && FilterTranslator.Bool(secrets, ["include_secrets"]);
            var rest = JsonNode.Parse(body.GetRawText())!.AsObject();
            rest.Remove("include_secrets");
            using var document = JsonDocument.Parse(rest.ToJsonString());
            body = document.RootElement.Clone();
        }

        var request = FilterRequest.Parse(body, Sections, paged: true);
        var where = new SqlWhere(silo.Database.Dialect);
        var clauses = Clauses(request, where);
        var condition = $"d.id IN (SELECT id FROM block_documents WHERE {SqlWhere.Join(clauses)} ORDER BY name, id LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)})";
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.ReadAsync(async session =>
        {
            var found = await BlockDocumentStore.SelectAsync(session, where, condition, cancellationToken).ConfigureAwait(false);
            return await BlockDocumentStore.ResolveAsync(session, found, includeSecrets, silo.Database.Secrets, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many block documents match a Prefect filter body (<c>block_documents</c> — anonymous ones excluded
    /// unless <c>is_anonymous</c> says otherwise —, <c>block_types</c>, <c>block_schemas</c>; Prefect 2.15+'s
    /// <c>/block_documents/count</c>).</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public async Task<long> CountAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, Sections, paged: false);
        var where = new SqlWhere(silo.Database.Dialect);
        var clauses = Clauses(request, where);
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text($"SELECT COUNT(*) FROM block_documents WHERE {SqlWhere.Join(clauses)}"));
            return await command.CountAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Updates a document's data and/or schema. With <paramref name="merge"/> the new data's top-level fields
    /// replace the stored ones and the others are kept; without it the data is replaced. Secret fields sent back as
    /// <see cref="BlockSecrets.Obfuscated"/> keep their stored value.</summary>
    /// <returns><see cref="BlockOutcome.NotFound"/>, <see cref="BlockOutcome.WrongBlockType"/> (the new schema belongs to
    /// another block type) or <see cref="BlockOutcome.Done"/>.</returns>
    /// <exception cref="KeyNotFoundException">The new block schema or a referenced document does not exist.</exception>
    public async Task<BlockOutcome> UpdateAsync(Guid id, Guid? blockSchemaId, JsonObject? data, bool merge, CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync(async session =>
        {
            if ((await BlockDocumentStore.ByIdsAsync(session, [id], cancellationToken).ConfigureAwait(false)).SingleOrDefault() is not { } current)
            {
                return BlockOutcome.NotFound;
            }

            current = current with { Data = BlockSecrets.Open(current.Data, silo.Database.Secrets) };
            var schemaId = current.BlockSchemaId;
            var schemaFields = current.BlockSchema!.Fields;
            if (blockSchemaId is { } proposed && proposed != current.BlockSchemaId)
            {
                var schema = await BlockSchemaStore.GetAsync(session, proposed, cancellationToken).ConfigureAwait(false)
                    ?? throw new KeyNotFoundException("Block schema not found");
                if (schema.BlockTypeId != current.BlockTypeId)
                {
                    return BlockOutcome.WrongBlockType;
                }

                schemaId = proposed;
                schemaFields = schema.Fields;
            }

            var stored = current.Data;
            var now = silo.Clock.GetUtcNow();
            if (data is not null)
            {
                var update = (JsonObject)data.DeepClone();
                BlockSecrets.KeepUnchanged(update, current.Data, BlockSecrets.Paths(current.BlockSchema!.Fields));
                var (updateData, updateReferences) = BlockReferences.Separate(update);
                await BlockReferences.CheckExistAsync(session, updateReferences, cancellationToken).ConfigureAwait(false);
                var references = updateReferences;
                if (merge)
                {
                    stored = (JsonObject)current.Data.DeepClone();
                    foreach (var (key, value) in updateData)
                    {
                        stored[key] = value?.DeepClone();
                    }

                    var existing = (await BlockDocumentStore.ReferencesAsync(session, [id], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(id) ?? [];
                    references = [.. existing.Where(r => !update.ContainsKey(r.Name)), .. updateReferences];
                    foreach (var (name, _) in references)
                    {
                        stored.Remove(name);
                    }
                }
                else
                {
                    stored = updateData;
                }

                await BlockDocumentStore.SetReferencesAsync(session, id, references, silo.NewId, now, cancellationToken).ConfigureAwait(false);
            }

            if (data is not null || schemaId != current.BlockSchemaId)
            {
                var sealedData = BlockSecrets.Seal(stored, BlockSecrets.Paths(schemaFields), silo.Database.Secrets);
                await BlockDocumentStore.UpdateAsync(session, id, schemaId, sealedData, now, cancellationToken).ConfigureAwait(false);
            }

            return BlockOutcome.Done;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a block document; false when it does not exist.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync(session => BlockDocumentStore.DeleteAsync(session, id, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Seals every secret that is stored in clear (written before secrets were sealed, or under a schema that
    /// did not mark it secret yet) or sealed with a previous key, with the current key, in one transaction. Run when the
    /// silo opens, so that after a restart with a new key the previous one can be dropped.</summary>
    /// <returns>How many documents were written.</returns>
    public async Task<int> SealStoredSecretsAsync(CancellationToken cancellationToken)
    {
        var keys = silo.Database.Secrets;
        static bool Needs(BlockDocument document, SecretKeyRing keys) =>
            BlockSecrets.NeedsSealing(document.Data, BlockSecrets.Paths(document.BlockSchema!.Fields), keys);

        // Every start looks; only a start that finds something to seal takes a write transaction (which looks again).
        var any = await silo.Database.ReadAsync(async session =>
            (await BlockDocumentStore.SelectAsync(session, new SqlWhere(session.Dialect), "1 = 1", cancellationToken).ConfigureAwait(false))
                .Any(d => Needs(d, keys)), cancellationToken).ConfigureAwait(false);
        if (!any)
        {
            return 0;
        }

        return await silo.Database.WriteAsync(async session =>
        {
            var written = 0;
            var where = new SqlWhere(session.Dialect);
            foreach (var document in await BlockDocumentStore.SelectAsync(session, where, "1 = 1", cancellationToken).ConfigureAwait(false))
            {
                if (Needs(document, keys))
                {
                    var paths = BlockSecrets.Paths(document.BlockSchema!.Fields);
                    var resealed = BlockSecrets.Seal(BlockSecrets.Open(document.Data, keys), paths, keys);
                    await BlockDocumentStore.UpdateAsync(session, document.Id, document.BlockSchemaId, resealed, document.Updated, cancellationToken).ConfigureAwait(false);
                    written++;
                }
            }

            return written;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The WHERE clauses of a block-document filter: anonymous documents left out unless the filter names
    /// <c>is_anonymous</c>, then the documents', block types' and block schemas' criteria.</summary>
    private static List<string> Clauses(FilterRequest request, SqlWhere where)
    {
        var translator = new FilterTranslator(where);
        var clauses = new List<string>();
        var documents = request.Section("block_documents");
        if (documents.ValueKind != JsonValueKind.Object || !documents.TryGetProperty("is_anonymous", out _))
        {
            clauses.Add($"is_anonymous = {where.Param(false)}");
        }

        BlockCatalog.Add(clauses, translator.Entity(documents, ResourceFilterFields.BlockDocuments, ["block_documents"]), "{0}");
        BlockCatalog.Add(clauses, translator.Entity(request.Section("block_types"), ResourceFilterFields.BlockTypes, ["block_types"]),
            "block_type_id IN (SELECT id FROM block_types WHERE {0})");
        BlockCatalog.Add(clauses, translator.Entity(request.Section("block_schemas"), ResourceFilterFields.BlockSchemas, ["block_schemas"]),
            "block_schema_id IN (SELECT id FROM block_schemas WHERE {0})");
        return clauses;
    }

    private static async Task<List<BlockDocument>> ReadAsync(DbSession session, IReadOnlyCollection<Guid> ids, bool includeSecrets, SecretKeyRing keys,
        CancellationToken cancellationToken)
    {
        var found = await BlockDocumentStore.ByIdsAsync(session, ids, cancellationToken).ConfigureAwait(false);
        return await BlockDocumentStore.ResolveAsync(session, found, includeSecrets, keys, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The fields the schema's <c>required</c> lists that are not keys of <paramref name="data"/> (a null value
    /// counts as given: a required field may be nullable).</summary>
    internal static List<string> MissingRequired(JsonElement fields, JsonObject data) =>
        fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            ? [.. required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).Where(name => !data.ContainsKey(name))]
            : [];
}
