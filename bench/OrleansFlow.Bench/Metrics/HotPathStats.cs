namespace OrleansFlow.Bench.Metrics;

/// <summary>
/// Counters and latencies of one worker (single-threaded, no locks), or the merge of all workers of a level.
/// </summary>
internal sealed class HotPathStats
{
    private const int MaxErrorSamples = 10;

    private readonly Dictionary<string, long> _errorsByKind = new(StringComparer.Ordinal);

    // The first detail seen of each kind (up to MaxErrorSamples kinds), in the order the kinds appeared.
    private readonly List<(string Kind, string Detail)> _errorSamples = [];

    /// <summary>Requests answered with a 2xx status.</summary>
    public long Requests { get; set; }

    /// <summary>set_state calls answered with status ACCEPT.</summary>
    public long Transitions { get; set; }

    /// <summary>Iterations whose every request succeeded (flow run COMPLETED).</summary>
    public long FlowRunsCompleted { get; set; }

    public long TaskRunsCreated { get; set; }

    /// <summary>Every request that got an HTTP response, whatever its status.</summary>
    public LatencyRecorder All { get; } = new();

    public LatencyRecorder SetState { get; } = new();

    /// <summary>POST /flow_runs/ and POST /task_runs/.</summary>
    public LatencyRecorder Create { get; } = new();

    public long Errors { get; private set; }

    public IReadOnlyDictionary<string, long> ErrorsByKind => _errorsByKind;

    public IReadOnlyList<string> ErrorSamples => [.. _errorSamples.Select(s => s.Detail)];

    /// <summary>Counts an error under <paramref name="kind"/>; keeps the first detail of each kind as a sample.</summary>
    public void RecordError(string kind, string detail)
    {
        Errors++;
        var seen = _errorsByKind.GetValueOrDefault(kind);
        _errorsByKind[kind] = seen + 1;
        if (seen == 0)
        {
            AddSample(kind, detail);
        }
    }

    public void Add(HotPathStats other)
    {
        Requests += other.Requests;
        Transitions += other.Transitions;
        FlowRunsCompleted += other.FlowRunsCompleted;
        TaskRunsCreated += other.TaskRunsCreated;
        All.Add(other.All);
        SetState.Add(other.SetState);
        Create.Add(other.Create);
        Errors += other.Errors;
        foreach (var (kind, count) in other._errorsByKind)
        {
            _errorsByKind[kind] = _errorsByKind.GetValueOrDefault(kind) + count;
        }

        foreach (var (kind, detail) in other._errorSamples)
        {
            AddSample(kind, detail);
        }
    }

    private void AddSample(string kind, string detail)
    {
        if (_errorSamples.Count < MaxErrorSamples && !_errorSamples.Exists(s => s.Kind == kind))
        {
            _errorSamples.Add((kind, detail));
        }
    }
}
