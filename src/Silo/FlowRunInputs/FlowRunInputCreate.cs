namespace OrleansFlow.Silo.FlowRunInputs;

/// <summary>How creating a flow run input turned out.</summary>
public enum FlowRunInputCreate
{
    /// <summary>The input was stored.</summary>
    Created,

    /// <summary>The run already has an input with that key.</summary>
    KeyTaken,

    /// <summary>There is no such flow run.</summary>
    RunNotFound,
}
