using OrleansFlow.Client;
using OrleansFlow.Results;

namespace OrleansFlow.Runtime;

/// <summary>Helpers shared by the flow and task engines for obeying the server's answers.</summary>
internal static class Orchestration
{
    /// <summary>The longest the SDK waits between two proposals when the server asks it to wait.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    /// <summary>Waits until a SCHEDULED state's time (AwaitingRetry), or the WAIT answer's delay.</summary>
    public static Task DelayAsync(OrchestrationResult answer, CancellationToken cancellationToken)
    {
        TimeSpan delay;
        if (answer.Status == OrchestrationStatus.Wait)
        {
            delay = TimeSpan.FromSeconds(Math.Max(0, answer.Details.DelaySeconds ?? 1));
        }
        else if (answer.State?.StateDetails.ScheduledTime is { } scheduled)
        {
            delay = scheduled - DateTimeOffset.UtcNow;
        }
        else
        {
            delay = TimeSpan.Zero;
        }

        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxWait ? MaxWait : delay;
        return delay == TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, cancellationToken);
    }

    /// <summary>The message of a state a run failed in: <c>"Task run encountered an exception: Type: Message"</c>.</summary>
    public static string FailureMessage(string kind, Exception exception) =>
        $"{kind} run encountered an exception: {exception.GetType().Name}: {exception.Message}";

    /// <summary>The state a run proposes when its body threw: FAILED named <c>TimedOut</c> for a timeout, else <c>Failed</c>
    /// with <see cref="FailureMessage"/>.</summary>
    public static StateCreate FailureProposal(string kind, Exception failure) => failure is RunTimedOutException
        ? new StateCreate(StateType.Failed, "TimedOut", failure.Message, ResultStore.Unpersisted(failure.GetType()))
        : new StateCreate(StateType.Failed, "Failed", FailureMessage(kind, failure), ResultStore.Unpersisted(failure.GetType()));

    /// <summary>True for an answer that put the run in a SCHEDULED state (AwaitingRetry): propose RUNNING again.</summary>
    public static bool IsRetry(OrchestrationResult answer) =>
        answer.Status == OrchestrationStatus.Reject && answer.State?.Type == StateType.Scheduled;

    /// <summary>Describes a state for log lines: <c>Completed()</c>, <c>Failed('message')</c>.</summary>
    public static string Describe(State? state) =>
        state is null ? "unknown" : state.Message is { Length: > 0 } m ? $"{state.Name}('{m}')" : $"{state.Name}()";
}
