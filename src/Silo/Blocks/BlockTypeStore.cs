using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Blocks;

/// <summary>Rows of <c>block_types</c>.</summary>
internal static class BlockTypeStore
{
    /// <summary>Inserts <paramref name="type"/>; false when its slug (or id) is taken.</summary>
    public static async Task<bool> InsertAsync(DbSession session, BlockType type, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_types.insert")
            .Add("id", type.Id).Add("name", type.Name).Add("slug", type.Slug).Add("logo_url", type.LogoUrl)
            .Add("documentation_url", type.DocumentationUrl).Add("description", type.Description)
            .Add("code_example", type.CodeExample).Add("is_protected", type.IsProtected).Add("now", type.Created);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task<BlockType?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_types.by_id").Add("id", id);
        return await command.FirstOrDefaultAsync(r => BlockRows.Type(r), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<BlockType?> GetBySlugAsync(DbSession session, string slug, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_types.by_slug").Add("slug", slug);
        return await command.FirstOrDefaultAsync(r => BlockRows.Type(r), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the updatable fields of <paramref name="type"/> (URLs, description, code example).</summary>
    public static async Task UpdateAsync(DbSession session, BlockType type, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_types.update")
            .Add("id", type.Id).Add("logo_url", type.LogoUrl).Add("documentation_url", type.DocumentationUrl)
            .Add("description", type.Description).Add("code_example", type.CodeExample).Add("now", type.Updated);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a block type with its schemas and documents.</summary>
    public static async Task DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("block_types.delete").Add("id", id);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }
}
