using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

public static partial class TaskRunRules
{
    /// <summary>A RUNNING task that fails while it has retries left is put in SCHEDULED <c>AwaitingRetry</c>,
    /// due after the delay for this attempt (one per retry from a list, the last repeating) plus jitter,
    /// keeping the failure's message and data. A failure proposed with <c>retriable: false</c> (the task's retry
    /// condition refused it) is not retried.</summary>
    private static void RetryFailedTasks(TaskRunEvaluation evaluation)
    {
        if (!evaluation.Is(StateType.Running, StateType.Failed) || evaluation.Proposed.StateDetails.Retriable == false)
        {
            return;
        }

        var run = evaluation.Run;
        var policy = run.EmpiricalPolicy;
        if (policy.Retries is not { } retries || run.RunCount > retries)
        {
            return;
        }

        var delay = RetryDelaySeconds(policy, run.RunCount, evaluation.Context.JitterSample);
        var awaitingRetry = new ProposedState
        {
            Type = StateType.Scheduled,
            Name = "AwaitingRetry",
            Message = evaluation.Proposed.Message,
            Data = evaluation.Proposed.Data,
            StateDetails = new StateDetails { ScheduledTime = evaluation.Context.Now.AddSeconds(delay) },
        };
        evaluation.Reject(awaitingRetry, "Retrying");
    }

    /// <summary>The delay before retry attempt <paramref name="runCount"/>, with Prefect's jitter when a factor
    /// is set: a draw from the exponential distribution around the delay, clamped so it stays between a lower
    /// bound chosen to keep the mean and <c>delay * (1 + factor)</c>.</summary>
    /// <param name="policy">The retry policy.</param>
    /// <param name="runCount">The attempt that failed (1 for the first).</param>
    /// <param name="sample">A uniform sample in [0, 1).</param>
    internal static double RetryDelaySeconds(TaskRunPolicy policy, int runCount, double sample)
    {
        var delays = policy.RetryDelays();
        if (delays.Count == 0)
        {
            return 0;
        }

        var index = Math.Min(runCount - 1, delays.Count - 1);
        var baseDelay = delays[index < 0 ? delays.Count - 1 : index];
        if (policy.RetryJitterFactor is not { } factor || !(factor > 0) || baseDelay <= 0)
        {
            return baseDelay;
        }

        var upperMultiple = 1 + Math.Min(factor, TaskRunPolicy.MaxRetryJitterFactor);
        var lowerMultiple = upperMultiple >= 50 ? 0 : Math.Log2(Math.Max(Math.Pow(2, upperMultiple) / (Math.Pow(2, upperMultiple) - 1), 1e-10));
        var upperProbability = 1 - Math.Exp(-upperMultiple);
        var lowerProbability = 1 - Math.Exp(-Math.Max(0, lowerMultiple));
        var probability = lowerProbability + ((upperProbability - lowerProbability) * sample);
        return -Math.Log(Math.Max(1 - probability, 1e-10)) * baseDelay;
    }

    /// <summary>A task entering RUNNING after it already ran is named <c>Retrying</c> when it comes from
    /// <c>AwaitingRetry</c>, <c>Rerunning</c> otherwise.</summary>
    private static void RenameReruns(TaskRunEvaluation evaluation)
    {
        if (evaluation.Proposed.Type == StateType.Running && evaluation.Run.RunCount > 0)
        {
            evaluation.Rename(evaluation.Initial?.Name == "AwaitingRetry" ? "Retrying" : "Rerunning");
        }
    }
}
