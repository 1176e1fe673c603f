namespace OrleansFlow.Silo.Blocks;

/// <summary>One field of a block document that references another block document, in Prefect's shape
/// (<c>{"block_document": {...}}</c>).</summary>
/// <param name="BlockDocument">A summary of the referenced document.</param>
public sealed record BlockDocumentReference(BlockDocumentReferenceSummary BlockDocument);

/// <summary>The referenced document as a reference shows it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Name">Its name.</param>
/// <param name="BlockType">Its block type.</param>
/// <param name="IsAnonymous">Whether it is anonymous.</param>
/// <param name="BlockDocumentReferences">The documents it references in turn.</param>
public sealed record BlockDocumentReferenceSummary(
    Guid Id,
    string Name,
    BlockType? BlockType,
    bool IsAnonymous,
    IReadOnlyDictionary<string, BlockDocumentReference> BlockDocumentReferences);
