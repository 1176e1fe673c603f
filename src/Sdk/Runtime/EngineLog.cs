using Microsoft.Extensions.Logging;

namespace OrleansFlow.Runtime;

/// <summary>The lines the engine writes to run logs (as Prefect's engine writes them).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Created task run '{TaskRun}' for task '{Task}'")]
    public static partial void TaskRunCreated(ILogger logger, string taskRun, string task);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Created subflow run '{FlowRun}' for flow '{Flow}'")]
    public static partial void SubflowRunCreated(ILogger logger, string flowRun, string flow);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Finished in state {State}")]
    public static partial void Finished(ILogger logger, string state);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Encountered exception during execution:")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information,
        Message = "Received non-final state '{State}' when proposing final state '{Proposed}' and will attempt to run again...")]
    public static partial void WillRetry(ILogger logger, string state, string proposed);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Beginning flow run '{FlowRun}' for flow '{Flow}'")]
    public static partial void FlowRunBeginning(ILogger logger, string flowRun, string flow);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Task run '{TaskRun}' exceeded its timeout of {Seconds} seconds")]
    public static partial void TimedOut(ILogger logger, string taskRun, double seconds);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Hook {Hook} failed")]
    public static partial void HookFailed(ILogger logger, string hook, Exception exception);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "The run's final state could not be reported: {Reason}")]
    public static partial void NotReported(ILogger logger, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Retry condition {Condition} declined to retry this failure")]
    public static partial void NotRetried(ILogger logger, string condition);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "The server answered {Status} to Completed: the run is in state {State}")]
    public static partial void CompletionNotAccepted(ILogger logger, string status, string state);
}
