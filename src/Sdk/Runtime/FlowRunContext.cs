using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrleansFlow.Runtime;

namespace OrleansFlow;

/// <summary>The flow run the current code runs in (ambient, following async calls like an <see cref="AsyncLocal{T}"/>):
/// its id, name, parameters and logger. <see cref="Current"/> is null outside flows.</summary>
public sealed class FlowRunContext
{
    private const int DefaultMaxConcurrency = 16;
    private static readonly AsyncLocal<FlowRunContext?> Ambient = new();
    private readonly ConcurrentDictionary<string, int> _dynamicKeys = new(StringComparer.Ordinal);
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _resultOwners = new();
    private readonly PendingWork _submitted = new();
    private readonly int _maxConcurrency;
    private IDisposable? _headroom;

    internal FlowRunContext(ServerSession client, FlowDefinition definition, Guid flowRunId, string name, string flowName,
        IReadOnlyDictionary<string, object?> parameters, ILogger logger, FlowRunContext? parent)
    {
        Client = client;
        Definition = definition;
        FlowRunId = flowRunId;
        Name = name;
        FlowName = flowName;
        Parameters = parameters;
        Logger = logger;
        Parent = parent;
        _maxConcurrency = definition.Options.MaxConcurrency > 0 ? definition.Options.MaxConcurrency : DefaultMaxConcurrency;
        Slots = new SemaphoreSlim(_maxConcurrency, _maxConcurrency);
        Cancellation = parent is null ? new CancellationTokenSource() : CancellationTokenSource.CreateLinkedTokenSource(parent.CancellationToken);
    }

    /// <summary>The flow run of the calling code, or null outside flows.</summary>
    public static FlowRunContext? Current => Ambient.Value;

    /// <summary>The flow run's id.</summary>
    public Guid FlowRunId { get; }

    /// <summary>The flow run's name (e.g. <c>enigmatic-mole</c>).</summary>
    public string Name { get; }

    /// <summary>The flow's name.</summary>
    public string FlowName { get; }

    /// <summary>The arguments of the flow call by parameter name.</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; }

    /// <summary>A logger whose lines become logs of this flow run.</summary>
    public ILogger Logger { get; }

    /// <summary>The flow run this one is a subflow of, or null.</summary>
    public FlowRunContext? Parent { get; }

    /// <summary>Cancelled when the run is cancelled (from the UI, the CLI or the API: the run is then CANCELLING) or the
    /// process serving it stops; pass it to the calls the flow makes. The run then ends CANCELLED.</summary>
    public CancellationToken CancellationToken => Cancellation.Token;

    internal CancellationTokenSource Cancellation { get; }

    internal ServerSession Client { get; }

    internal FlowDefinition Definition { get; }

    internal SemaphoreSlim Slots { get; }

    /// <summary>Task states sent without waiting for their answer (see <see cref="StateReports"/>).</summary>
    internal StateReports Reports { get; } = new();

    /// <summary>Called before the concurrent runner takes its first call: from then until <see cref="ReleaseHeadroom"/>
    /// the thread pool keeps room for a blocked thread per slot (<see cref="BlockingHeadroom"/>).</summary>
    internal void EnsureHeadroom()
    {
        if (Volatile.Read(ref _headroom) is null)
        {
            var reservation = BlockingHeadroom.Reserve(_maxConcurrency);
            if (Interlocked.CompareExchange(ref _headroom, reservation, null) is not null)
            {
                reservation.Dispose();
            }
        }
    }

    /// <summary>The run has ended: its pool headroom goes back.</summary>
    internal void ReleaseHeadroom() => Interlocked.Exchange(ref _headroom, null)?.Dispose();

    internal static FlowRunContext? Swap(FlowRunContext? context)
    {
        var previous = Ambient.Value;
        Ambient.Value = context;
        return previous;
    }

    /// <summary>The next dynamic key of <paramref name="taskKey"/> in this run: 0, 1, 2, ...</summary>
    internal string NextDynamicKey(string taskKey) =>
        (_dynamicKeys.AddOrUpdate(taskKey, 0, static (_, n) => n + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Remembers that <paramref name="value"/> is the result of the task run <paramref name="taskRunId"/> (objects only;
    /// held weakly), so that a task given it as an argument names that run as an upstream input.</summary>
    internal void TrackResult(object? value, Guid taskRunId)
    {
        if (value is not null and not string && !value.GetType().IsValueType)
        {
            _resultOwners.AddOrUpdate(value, taskRunId);
        }
    }

    /// <summary>The task run whose result <paramref name="value"/> is, if one of this run's tasks returned it.</summary>
    internal Guid? ResultOwner(object value) => _resultOwners.TryGetValue(value, out var owner) ? (Guid)owner : null;

    /// <summary>Restarts the dynamic keys (a retried flow run's tasks get the keys of the first attempt, so that task runs
    /// completed then are found again and not run twice).</summary>
    internal void ResetDynamicKeys() => _dynamicKeys.Clear();

    /// <summary>Counts a submitted task until it finishes; finished tasks are not kept, so memory does not grow with them.</summary>
    internal void Track(TaskFuture future) => _submitted.Track(future.Completion);

    /// <summary>Waits for every task submitted in this run (their failures are observed by whoever reads them).</summary>
    internal Task WaitForSubmittedAsync() => _submitted.WhenDrained();
}
