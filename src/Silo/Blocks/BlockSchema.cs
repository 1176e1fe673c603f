using System.Text.Json;

namespace OrleansFlow.Silo.Blocks;

/// <summary>A version of a block type's field schema (a JSON schema), identified by its checksum and version.</summary>
public sealed record BlockSchema
{
    /// <summary>The block schema's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The checksum of <see cref="Fields"/> (<c>sha256:...</c>), computed as Prefect does.</summary>
    public required string Checksum { get; init; }

    /// <summary>The JSON schema of the block's fields (with <c>secret_fields</c>, <c>block_type_slug</c>,
    /// <c>block_schema_references</c>).</summary>
    public required JsonElement Fields { get; init; }

    /// <summary>The block type the schema belongs to.</summary>
    public required Guid BlockTypeId { get; init; }

    /// <summary>The block type, embedded in responses.</summary>
    public BlockType? BlockType { get; init; }

    /// <summary>What blocks of this schema can do (e.g. <c>read-path</c>).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>A human readable version; <c>non-versioned</c> by default.</summary>
    public string Version { get; init; } = BlockSchemaDefaults.Version;
}
