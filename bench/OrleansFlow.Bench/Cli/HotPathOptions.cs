namespace OrleansFlow.Bench.Cli;

/// <summary>Settings of the <c>hotpath</c> scenario, already validated by <see cref="CommandLineParser"/>.</summary>
internal sealed record HotPathOptions
{
    public const string DefaultApi = "http://127.0.0.1:4200/api";

    /// <summary>Base URL of the Prefect REST API, without a trailing slash. Default <see cref="DefaultApi"/>.</summary>
    public string Api { get; init; } = DefaultApi;

    /// <summary>Concurrency levels, run in order. Default 8.</summary>
    public IReadOnlyList<int> Concurrency { get; init; } = [8];

    /// <summary>Measured duration per level, in seconds. Default 20 (as the recorded baseline).</summary>
    public double DurationSeconds { get; init; } = 20;

    /// <summary>Warm-up before each level, same concurrency, excluded from the stats. Default 3.</summary>
    public double WarmupSeconds { get; init; } = 3;

    /// <summary>Task runs per flow run. Default 10 (44 requests, 33 transitions per iteration).</summary>
    public int TasksPerFlow { get; init; } = 10;

    /// <summary>HTTP request timeout in seconds. Default 30.</summary>
    public double TimeoutSeconds { get; init; } = 30;

    /// <summary>Where to write the JSON Lines results, or null.</summary>
    public string? JsonPath { get; init; }

    /// <summary>Server processes whose CPU time is measured over the window (summed). Default none.</summary>
    public IReadOnlyList<int> ServerPids { get; init; } = [];

    /// <summary>Free-form series label copied into the JSON (e.g. "orleansflow-sqlite"). Default none.</summary>
    public string? Label { get; init; }

    /// <summary>Name of the flow the runs belong to. Default "bench-flow".</summary>
    public string FlowName { get; init; } = "bench-flow";
}
