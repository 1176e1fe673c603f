namespace OrleansFlow.Silo.Blocks;

/// <summary>Defaults of block schemas, as in Prefect.</summary>
public static class BlockSchemaDefaults
{
    /// <summary>The version of a schema created without one.</summary>
    public const string Version = "non-versioned";
}
