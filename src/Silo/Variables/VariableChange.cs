namespace OrleansFlow.Silo.Variables;

/// <summary>How an update of a variable turned out.</summary>
public enum VariableChange
{
    /// <summary>The variable was updated.</summary>
    Updated,

    /// <summary>No variable has that id or name.</summary>
    NotFound,

    /// <summary>Another variable has the new name.</summary>
    NameTaken,
}
