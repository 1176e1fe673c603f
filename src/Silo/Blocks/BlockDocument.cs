using System.Text.Json.Nodes;

namespace OrleansFlow.Silo.Blocks;

/// <summary>A block document: a named (or anonymous) set of values of a block type, validated against one of its
/// schemas. Fields that reference other block documents are inlined in <see cref="Data"/> and listed in
/// <see cref="BlockDocumentReferences"/>.</summary>
public sealed record BlockDocument
{
    /// <summary>The block document's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The name, unique within the block type (<c>anonymous-{uuid}</c> for anonymous documents).</summary>
    public required string Name { get; init; }

    /// <summary>The values; secret fields are obfuscated unless secrets were asked for.</summary>
    public required JsonObject Data { get; init; }

    /// <summary>The schema the values follow.</summary>
    public required Guid BlockSchemaId { get; init; }

    /// <summary>The schema, embedded in responses.</summary>
    public BlockSchema? BlockSchema { get; init; }

    /// <summary>The block type.</summary>
    public required Guid BlockTypeId { get; init; }

    /// <summary>The block type, embedded in responses.</summary>
    public BlockType? BlockType { get; init; }

    /// <summary>The referenced block documents, by the field that references them.</summary>
    public IReadOnlyDictionary<string, BlockDocumentReference> BlockDocumentReferences { get; init; } =
        new Dictionary<string, BlockDocumentReference>();

    /// <summary>True for documents the client created without a name (e.g. result storage).</summary>
    public bool IsAnonymous { get; init; }
}
