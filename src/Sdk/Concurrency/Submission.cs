namespace OrleansFlow.Runtime;

/// <summary>What <see cref="Flows.Submit{T}(Func{T}, IEnumerable{TaskFuture}?)"/> hands to the task run its call starts
/// (through an async-local, read once by <see cref="TaskEngine"/>): the futures it waited for, the upstream failure that
/// keeps it from running, and, once created, the task run's id (so that later tasks can name it as an upstream input).</summary>
internal sealed class Submission(TaskFuture[] waitFor)
{
    private static readonly AsyncLocal<Submission?> Ambient = new();

    /// <summary>The futures the call waited for.</summary>
    public TaskFuture[] WaitFor { get; } = waitFor;

    /// <summary>Set when an upstream future failed: the task run is recorded as NotReady and its body never runs.</summary>
    public UpstreamTaskFailedException? UpstreamFailure { get; set; }

    /// <summary>The id of the task run the call created, once created.</summary>
    public Guid? TaskRunId { get; set; }

    /// <summary>Hands this submission to the next task run started in the calling async flow.</summary>
    public void Enter() => Ambient.Value = this;

    /// <summary>The submission of the calling async flow, if any, which is consumed (a task body's own calls don't see it).</summary>
    public static Submission? Take()
    {
        var submission = Ambient.Value;
        Ambient.Value = null;
        return submission;
    }
}
