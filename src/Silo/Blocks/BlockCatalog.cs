using System.Globalization;
using System.Text.Json;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Blocks;

/// <summary>Block types and block schemas. The system types are installed on first use (see <see cref="BlockSeeder"/>).</summary>
public sealed class BlockCatalog(OrleansFlowSilo silo)
{
    private static readonly HashSet<string> TypeSections = ["block_types", "block_schemas"];
    private static readonly HashSet<string> SchemaSections = ["block_schemas"];

    /// <summary>Creates a block type; <see cref="BlockOutcome.Conflict"/> when its slug is taken.</summary>
    public async Task<(BlockType? Type, BlockOutcome Outcome)> CreateTypeAsync(BlockType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        var now = silo.Clock.GetUtcNow();
        var created = type with { Id = silo.NewId(), Created = now, Updated = now, IsProtected = false };
        return await silo.Database.WriteAsync(async session =>
            await BlockTypeStore.InsertAsync(session, created, cancellationToken).ConfigureAwait(false)
                ? (created, BlockOutcome.Done)
                : ((BlockType?)null, BlockOutcome.Conflict), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The block type with <paramref name="id"/>, or null.</summary>
    public async Task<BlockType?> GetTypeAsync(Guid id, CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.ReadAsync(session => BlockTypeStore.GetAsync(session, id, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The block type with <paramref name="slug"/>, or null.</summary>
    public async Task<BlockType?> GetTypeBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.ReadAsync(session => BlockTypeStore.GetBySlugAsync(session, slug, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies <paramref name="change"/> to the block type's updatable fields (logo and documentation URLs,
    /// description, code example). A protected type refuses any actual change.</summary>
    public async Task<BlockOutcome> UpdateTypeAsync(Guid id, Func<BlockType, BlockType> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync(async session =>
        {
            if (await BlockTypeStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false) is not { } type)
            {
                return BlockOutcome.NotFound;
            }

            var changed = change(type);
            if (changed.LogoUrl == type.LogoUrl && changed.DocumentationUrl == type.DocumentationUrl
                && changed.Description == type.Description && changed.CodeExample == type.CodeExample)
            {
                return BlockOutcome.Done;
            }

            if (type.IsProtected)
            {
                return BlockOutcome.Protected;
            }

            await BlockTypeStore.UpdateAsync(session, changed with { Id = type.Id, Updated = silo.Clock.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            return BlockOutcome.Done;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a block type with its schemas and documents, unless it is protected.</summary>
    public async Task<BlockOutcome> DeleteTypeAsync(Guid id, CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync(async session =>
        {
            var type = await BlockTypeStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false);
            if (type is null || type.IsProtected)
            {
                return type is null ? BlockOutcome.NotFound : BlockOutcome.Protected;
            }

            await BlockTypeStore.DeleteAsync(session, id, cancellationToken).ConfigureAwait(false);
            return BlockOutcome.Done;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Block types matching a Prefect filter body (<c>block_types</c>, <c>block_schemas</c>, paging), by name.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public async Task<List<BlockType>> FilterTypesAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, TypeSections, paged: true);
        var where = new SqlWhere(silo.Database.Dialect);
        var translator = new FilterTranslator(where);
        var clauses = new List<string>();
        Add(clauses, translator.Entity(request.Section("block_types"), ResourceFilterFields.BlockTypes, ["block_types"]), "{0}");
        Add(clauses, translator.Entity(request.Section("block_schemas"), ResourceFilterFields.BlockSchemas, ["block_schemas"]),
            "id IN (SELECT block_type_id FROM block_schemas WHERE {0})");
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.ReadAsync(async session =>
        {
            var sql = $"{SqlCatalog.Get(session.Dialect, "block_types.select")} WHERE {SqlWhere.Join(clauses)} ORDER BY name, id LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}";
            await using var command = where.Bind(session.Text(sql));
            return await command.ListAsync(r => BlockRows.Type(r), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Registers a block schema for a block type. Its checksum is computed from <paramref name="fields"/>; a
    /// schema with the same checksum and version is returned as it is (Created false).</summary>
    /// <returns><see cref="BlockOutcome.MissingReference"/> when the block type does not exist,
    /// <see cref="BlockOutcome.Protected"/> when it is protected and the schema is new.</returns>
    public async Task<(BlockSchema? Schema, bool Created, BlockOutcome Outcome)> CreateSchemaAsync(JsonElement fields, Guid blockTypeId,
        IReadOnlyList<string> capabilities, string version, CancellationToken cancellationToken)
    {
        var checksum = BlockChecksum.Compute(fields);
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync<(BlockSchema?, bool, BlockOutcome)>(async session =>
        {
            if (await BlockTypeStore.GetAsync(session, blockTypeId, cancellationToken).ConfigureAwait(false) is not { } type)
            {
                return (null, false, BlockOutcome.MissingReference);
            }

            if (await BlockSchemaStore.GetByChecksumAsync(session, checksum, version, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return (existing, false, BlockOutcome.Done);
            }

            if (type.IsProtected)
            {
                return (null, false, BlockOutcome.Protected);
            }

            var now = silo.Clock.GetUtcNow();
            var schema = new BlockSchema
            {
                Id = silo.NewId(), Created = now, Updated = now, Checksum = checksum, Fields = fields.Clone(),
                BlockTypeId = blockTypeId, BlockType = type, Capabilities = capabilities, Version = version,
            };
            if (await BlockSchemaStore.InsertAsync(session, schema, cancellationToken).ConfigureAwait(false))
            {
                return (schema, true, BlockOutcome.Done);
            }

            // Another server registered the same schema a moment ago.
            return (await BlockSchemaStore.GetByChecksumAsync(session, checksum, version, cancellationToken).ConfigureAwait(false), false, BlockOutcome.Done);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The block schema with <paramref name="id"/>, or null.</summary>
    public async Task<BlockSchema?> GetSchemaAsync(Guid id, CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.ReadAsync(session => BlockSchemaStore.GetAsync(session, id, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The block schema with <paramref name="checksum"/> and <paramref name="version"/> (the newest with the
    /// checksum when the version is null), or null.</summary>
    public async Task<BlockSchema?> GetSchemaByChecksumAsync(string checksum, string? version, CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.ReadAsync(session => BlockSchemaStore.GetByChecksumAsync(session, checksum, version, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a block schema and the documents using it, unless its type is protected.</summary>
    public async Task<BlockOutcome> DeleteSchemaAsync(Guid id, CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync(async session =>
        {
            var schema = await BlockSchemaStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false);
            if (schema is null || schema.BlockType?.IsProtected == true)
            {
                return schema is null ? BlockOutcome.NotFound : BlockOutcome.Protected;
            }

            await BlockSchemaStore.DeleteAsync(session, id, cancellationToken).ConfigureAwait(false);
            return BlockOutcome.Done;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Block schemas matching a Prefect filter body (<c>block_schemas</c>, paging), newest first.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public async Task<List<BlockSchema>> FilterSchemasAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, SchemaSections, paged: true);
        var where = new SqlWhere(silo.Database.Dialect);
        var clause = new FilterTranslator(where).Entity(request.Section("block_schemas"), ResourceFilterFields.BlockSchemas, ["block_schemas"]);
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.ReadAsync(async session =>
        {
            var sql = $"{SqlCatalog.Get(session.Dialect, "block_schemas.select")} WHERE s.id IN (SELECT id FROM block_schemas WHERE {clause ?? "1=1"}) "
                + $"ORDER BY s.created DESC, s.id DESC LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}";
            await using var command = where.Bind(session.Text(sql));
            return await command.ListAsync(r => BlockRows.Schema(r), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every capability any block schema declares, sorted.</summary>
    public async Task<List<string>> CapabilitiesAsync(CancellationToken cancellationToken)
    {
        await BlockSeeder.EnsureAsync(silo, cancellationToken).ConfigureAwait(false);
        return await silo.Database.ReadAsync(session => BlockSchemaStore.CapabilitiesAsync(session, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    internal static void Add(List<string> clauses, string? clause, string format)
    {
        if (clause is not null)
        {
            clauses.Add(string.Format(CultureInfo.InvariantCulture, format, clause));
        }
    }
}
