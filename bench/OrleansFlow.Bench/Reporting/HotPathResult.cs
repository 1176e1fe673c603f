using OrleansFlow.Bench.Cli;
using OrleansFlow.Bench.Metrics;

namespace OrleansFlow.Bench.Reporting;

/// <summary>The figures of one measured concurrency level, as printed in the table and the JSON line.</summary>
internal sealed record HotPathResult
{
    public required string? Label { get; init; }

    public required string Api { get; init; }

    public required int Concurrency { get; init; }

    public required double DurationTargetSeconds { get; init; }

    public required double WarmupSeconds { get; init; }

    /// <summary>From the start of the window until the last worker finished its last iteration.</summary>
    public required double WallSeconds { get; init; }

    public required int TasksPerFlow { get; init; }

    public required long Requests { get; init; }

    public required double RequestsPerSecond { get; init; }

    public required long Transitions { get; init; }

    public required double TransitionsPerSecond { get; init; }

    public required long FlowRunsCompleted { get; init; }

    public required double FlowRunsPerSecond { get; init; }

    public required long TaskRunsCreated { get; init; }

    public required double? SetStateP50Ms { get; init; }

    public required double? SetStateP90Ms { get; init; }

    public required double? SetStateP99Ms { get; init; }

    public required double? SetStateMaxMs { get; init; }

    public required double? SetStateMeanMs { get; init; }

    public required double? CreateP50Ms { get; init; }

    public required double? CreateP99Ms { get; init; }

    public required double? AllP50Ms { get; init; }

    public required double? AllP90Ms { get; init; }

    public required double? AllP99Ms { get; init; }

    public required double? AllMaxMs { get; init; }

    public required long Errors { get; init; }

    public required IReadOnlyDictionary<string, long> ErrorsByKind { get; init; }

    public required IReadOnlyList<string> ErrorSamples { get; init; }

    /// <summary>CPU time of this process over the window divided by the wall time (100 = one full core).</summary>
    public required double LoadgenCpuPercent { get; init; }

    public required IReadOnlyList<int> ServerPids { get; init; }

    /// <summary>Same as <see cref="LoadgenCpuPercent"/> for the server processes, or null when not measured.</summary>
    public required double? ServerCpuPercent { get; init; }

    /// <summary>True when Ctrl+C ended the window early.</summary>
    public required bool Interrupted { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public static HotPathResult Create(
        HotPathOptions options,
        int concurrency,
        DateTimeOffset startedAt,
        TimeSpan wall,
        HotPathStats stats,
        TimeSpan loadgenCpu,
        TimeSpan? serverCpu,
        bool interrupted)
    {
        var seconds = Math.Max(wall.TotalSeconds, 1e-9);
        return new HotPathResult
        {
            Label = options.Label,
            Api = options.Api,
            Concurrency = concurrency,
            DurationTargetSeconds = options.DurationSeconds,
            WarmupSeconds = options.WarmupSeconds,
            WallSeconds = wall.TotalSeconds,
            TasksPerFlow = options.TasksPerFlow,
            Requests = stats.Requests,
            RequestsPerSecond = stats.Requests / seconds,
            Transitions = stats.Transitions,
            TransitionsPerSecond = stats.Transitions / seconds,
            FlowRunsCompleted = stats.FlowRunsCompleted,
            FlowRunsPerSecond = stats.FlowRunsCompleted / seconds,
            TaskRunsCreated = stats.TaskRunsCreated,
            SetStateP50Ms = stats.SetState.PercentileMs(0.50),
            SetStateP90Ms = stats.SetState.PercentileMs(0.90),
            SetStateP99Ms = stats.SetState.PercentileMs(0.99),
            SetStateMaxMs = stats.SetState.MaxMs,
            SetStateMeanMs = stats.SetState.MeanMs,
            CreateP50Ms = stats.Create.PercentileMs(0.50),
            CreateP99Ms = stats.Create.PercentileMs(0.99),
            AllP50Ms = stats.All.PercentileMs(0.50),
            AllP90Ms = stats.All.PercentileMs(0.90),
            AllP99Ms = stats.All.PercentileMs(0.99),
            AllMaxMs = stats.All.MaxMs,
            Errors = stats.Errors,
            ErrorsByKind = stats.ErrorsByKind,
            ErrorSamples = stats.ErrorSamples,
            LoadgenCpuPercent = 100 * loadgenCpu.TotalSeconds / seconds,
            ServerPids = options.ServerPids,
            ServerCpuPercent = serverCpu is { } cpu ? 100 * cpu.TotalSeconds / seconds : null,
            Interrupted = interrupted,
            StartedAt = startedAt,
        };
    }
}
