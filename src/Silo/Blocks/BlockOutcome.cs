namespace OrleansFlow.Silo.Blocks;

/// <summary>How a change to a block type, schema or document turned out.</summary>
public enum BlockOutcome
{
    /// <summary>The change was made (or there was nothing to change).</summary>
    Done,

    /// <summary>The block type, schema or document does not exist.</summary>
    NotFound,

    /// <summary>The block type is protected: the API may not change it or its schemas.</summary>
    Protected,

    /// <summary>The name or slug is taken.</summary>
    Conflict,

    /// <summary>A block type or schema named in the request does not exist.</summary>
    MissingReference,

    /// <summary>The block schema belongs to another block type.</summary>
    WrongBlockType,
}
