namespace OrleansFlow.Silo.Notifications.Templates;

/// <summary>Bounds on what a user-supplied template may do, so that a template can never exhaust the server. The
/// defaults follow Prefect's sandbox (at most 10 <c>for</c> loops nested at most 2 deep, <c>range</c> of at most 100).</summary>
public sealed record TemplateLimits
{
    /// <summary>The defaults.</summary>
    public static TemplateLimits Default { get; } = new();

    /// <summary>The longest template accepted, in characters. Default 100,000.</summary>
    public int MaxTemplateLength { get; init; } = 100_000;

    /// <summary>The longest output a render may produce, in characters; a render that would go past it fails. Default 1,000,000.</summary>
    public int MaxOutputLength { get; init; } = 1_000_000;

    /// <summary>How many <c>for</c> statements a template may hold. Default 10 (Prefect's <c>MAX_LOOP_COUNT</c>).</summary>
    public int MaxLoops { get; init; } = 10;

    /// <summary>How deep <c>for</c> statements may nest. Default 2 (Prefect's <c>MAX_NESTED_LOOP_DEPTH</c>).</summary>
    public int MaxLoopDepth { get; init; } = 2;

    /// <summary>How many loop iterations one render may run, all loops together. Default 10,000.</summary>
    public int MaxIterations { get; init; } = 10_000;

    /// <summary>The most elements <c>range(...)</c> may produce. Default 100 (Prefect's <c>MAX_TEMPLATE_RANGE</c>).</summary>
    public int MaxRange { get; init; } = 100;
}
