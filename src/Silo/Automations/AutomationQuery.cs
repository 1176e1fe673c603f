namespace OrleansFlow.Silo.Automations;

/// <summary>A page of automations: the typed form of the body of <c>POST /api/automations/filter</c>.</summary>
public sealed record AutomationQuery
{
    /// <summary>The order (default by name).</summary>
    public AutomationSort Sort { get; init; } = AutomationSort.NameAsc;

    /// <summary>At most this many (default 200).</summary>
    public int Limit { get; init; } = 200;

    /// <summary>Skip this many (default 0).</summary>
    public int Offset { get; init; }

    /// <summary>Only automations with one of these names (Prefect's <c>automations.name.any_</c>); null: any.</summary>
    public IReadOnlyList<string>? NameAny { get; init; }

    /// <summary>Only automations whose tags include every one of these (<c>automations.tags.all_</c>); null: any.</summary>
    public IReadOnlyList<string>? TagsAll { get; init; }

    /// <summary>Only automations created at or before this (<c>automations.created.before_</c>); null: any.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only enabled (true) or disabled (false) automations; null: both (an OrleansFlow extension for the UI).</summary>
    public bool? Enabled { get; init; }
}
