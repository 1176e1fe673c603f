namespace OrleansFlow.Silo.WorkPools;

/// <summary>The outcome of a change to a pool or queue.</summary>
public enum WorkPoolChange
{
    /// <summary>The change was written.</summary>
    Updated,

    /// <summary>The pool or queue does not exist.</summary>
    NotFound,

    /// <summary>Another pool or queue has the name.</summary>
    NameTaken,
}
