using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Gateway.Blocks;

/// <summary>Body of <c>POST /api/block_types/</c>.</summary>
public sealed class BlockTypeCreateRequest
{
    /// <summary>The display name (required; may not start with "Prefect").</summary>
    public string? Name { get; init; }

    /// <summary>The unique slug (required; lowercase letters, numbers and dashes).</summary>
    public string? Slug { get; init; }

    /// <summary>A URL of the logo.</summary>
    public string? LogoUrl { get; init; }

    /// <summary>A URL of the documentation.</summary>
    public string? DocumentationUrl { get; init; }

    /// <summary>A short description.</summary>
    public string? Description { get; init; }

    /// <summary>A code example.</summary>
    public string? CodeExample { get; init; }
}

/// <summary>Body of <c>POST /api/block_schemas/</c>.</summary>
public sealed class BlockSchemaCreateRequest
{
    /// <summary>The JSON schema of the block's fields (an object; empty when missing).</summary>
    public JsonElement? Fields { get; init; }

    /// <summary>The block type (required).</summary>
    public Guid? BlockTypeId { get; init; }

    /// <summary>The block's capabilities.</summary>
    public List<string>? Capabilities { get; init; }

    /// <summary>The version; <c>non-versioned</c> when missing.</summary>
    public string? Version { get; init; }
}

/// <summary>Body of <c>POST /api/block_documents/</c>.</summary>
public sealed class BlockDocumentCreateRequest
{
    /// <summary>The name (required unless anonymous; lowercase letters, numbers and dashes).</summary>
    public string? Name { get; init; }

    /// <summary>The values (an object; empty when missing).</summary>
    public JsonObject? Data { get; init; }

    /// <summary>The block schema (required).</summary>
    public Guid? BlockSchemaId { get; init; }

    /// <summary>The block type (required).</summary>
    public Guid? BlockTypeId { get; init; }

    /// <summary>True for a document without a name of its own.</summary>
    public bool? IsAnonymous { get; init; }
}

/// <summary>Body of <c>PATCH /api/block_documents/{id}</c>.</summary>
public sealed class BlockDocumentUpdateRequest
{
    /// <summary>A new block schema of the same block type, or null to keep it.</summary>
    public Guid? BlockSchemaId { get; init; }

    /// <summary>New values, or null to keep them.</summary>
    public JsonObject? Data { get; init; }

    /// <summary>True (the default) to merge the new values into the stored ones; false to replace them.</summary>
    public bool? MergeExistingData { get; init; }
}
