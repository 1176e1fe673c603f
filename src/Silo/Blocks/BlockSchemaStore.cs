using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Blocks;

/// <summary>Rows of <c>block_schemas</c>.</summary>
internal static class BlockSchemaStore
{
    /// <summary>Inserts <paramref name="schema"/>; false when its checksum and version exist already.</summary>
    public static async Task<bool> InsertAsync(DbSession session, BlockSchema schema, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_schemas.insert")
            .Add("id", schema.Id).Add("checksum", schema.Checksum).Add("version", schema.Version)
            .Add("block_type_id", schema.BlockTypeId).Add("fields", schema.Fields.GetRawText())
            .AddTags("capabilities", schema.Capabilities).Add("now", schema.Created);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Inserts a system schema for the block type with <paramref name="slug"/> unless it exists.</summary>
    public static async Task SeedAsync(DbSession session, string slug, BlockSchema schema, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_schemas.seed")
            .Add("id", schema.Id).Add("checksum", schema.Checksum).Add("version", schema.Version)
            .Add("fields", schema.Fields.GetRawText()).AddTags("capabilities", schema.Capabilities)
            .Add("now", schema.Created).Add("slug", slug);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<BlockSchema?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_schemas.by_id").Add("id", id);
        return await command.FirstOrDefaultAsync(r => BlockRows.Schema(r), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schema with <paramref name="checksum"/> and <paramref name="version"/>, or the newest with the
    /// checksum when no version is given.</summary>
    public static async Task<BlockSchema?> GetByChecksumAsync(DbSession session, string checksum, string? version, CancellationToken cancellationToken)
    {
        await using var command = version is null
            ? session.Named("block_schemas.by_checksum").Add("checksum", checksum)
            : session.Named("block_schemas.by_checksum_version").Add("checksum", checksum).Add("version", version);
        return await command.FirstOrDefaultAsync(r => BlockRows.Schema(r), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a schema with the documents that use it.</summary>
    public static async Task DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_schemas.delete").Add("id", id);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every capability of any schema, sorted.</summary>
    public static async Task<List<string>> CapabilitiesAsync(DbSession session, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_schemas.capabilities");
        return await command.ListAsync(r => r.GetString(0), cancellationToken).ConfigureAwait(false);
    }
}
