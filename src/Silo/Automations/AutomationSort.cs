namespace OrleansFlow.Silo.Automations;

/// <summary>The orders of <c>POST /api/automations/filter</c> (Prefect's <c>AutomationSort</c>).</summary>
public enum AutomationSort
{
    /// <summary>By name, A to Z (the default).</summary>
    NameAsc,

    /// <summary>By name, Z to A.</summary>
    NameDesc,

    /// <summary>Newest first.</summary>
    CreatedDesc,

    /// <summary>Most recently changed first.</summary>
    UpdatedDesc,
}
