namespace OrleansFlow.Silo.Blocks;

/// <summary>A new block document's data leaves out fields its block schema requires; nothing was created.</summary>
/// <param name="missingFields">The required fields not in the data, in the schema's order.</param>
public sealed class BlockDataException(IReadOnlyList<string> missingFields)
    : Exception("Block data is missing required fields: " + string.Join(", ", missingFields))
{
    /// <summary>The required fields not in the data, in the schema's order.</summary>
    public IReadOnlyList<string> MissingFields { get; } = missingFields;
}
