using Microsoft.Extensions.Logging;

namespace OrleansFlow;

/// <summary>The task run the current code runs in (ambient); <see cref="Current"/> is null outside task bodies.</summary>
public sealed class TaskRunContext
{
    private static readonly AsyncLocal<TaskRunContext?> Ambient = new();

    internal TaskRunContext(Guid taskRunId, string name, string taskName, int attempt, ILogger logger, CancellationToken cancellationToken)
    {
        TaskRunId = taskRunId;
        Name = name;
        TaskName = taskName;
        Attempt = attempt;
        Logger = logger;
        CancellationToken = cancellationToken;
    }

    /// <summary>The task run of the calling code, or null outside task bodies.</summary>
    public static TaskRunContext? Current => Ambient.Value;

    /// <summary>The task run's id.</summary>
    public Guid TaskRunId { get; }

    /// <summary>The task run's name (e.g. <c>extract-data-0</c>).</summary>
    public string Name { get; }

    /// <summary>The task's name.</summary>
    public string TaskName { get; }

    /// <summary>Which attempt this is: 1 for the first run, 2 for the first retry, ...</summary>
    public int Attempt { get; }

    /// <summary>A logger whose lines become logs of this task run.</summary>
    public ILogger Logger { get; }

    /// <summary>Cancelled when the task run times out: pass it to cancellable calls so a timed-out body stops.</summary>
    public CancellationToken CancellationToken { get; }

    internal static TaskRunContext? Swap(TaskRunContext? context)
    {
        var previous = Ambient.Value;
        Ambient.Value = context;
        return previous;
    }
}
