using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

public static partial class TaskRunRules
{
    /// <summary>Before a task runs it takes a slot in the limit of each of its tags (in tag order). A limit of
    /// 0 would never let it run, so the run is aborted; a full limit makes it WAIT and propose again later.
    /// A slot the run already holds is not counted against it.</summary>
    private static void SecureTaskConcurrencySlots(TaskRunEvaluation evaluation)
    {
        if (evaluation.Proposed.Type != StateType.Running)
        {
            return;
        }

        var run = evaluation.Run;
        var limits = evaluation.Context.ConcurrencyLimits
            .Where(limit => run.Tags.Contains(limit.Tag, StringComparer.Ordinal))
            .DistinctBy(limit => limit.Tag, StringComparer.Ordinal)
            .OrderBy(limit => limit.Tag, StringComparer.Ordinal);

        var acquired = new List<string>();
        foreach (var limit in limits)
        {
            if (limit.Limit == 0)
            {
                evaluation.Abort($"The concurrency limit on tag \"{limit.Tag}\" is 0 and will deadlock if the task tries to run again.");
                return;
            }

            if (SlotsTakenByOthers(limit, run.Id) >= limit.Limit)
            {
                evaluation.Wait(evaluation.Context.TagConcurrencySlotWaitSeconds, $"Concurrency limit for the {limit.Tag} tag has been reached");
                return;
            }

            acquired.Add(limit.Tag);
        }

        evaluation.SlotsToAcquire = acquired;
    }

    private static int SlotsTakenByOthers(ConcurrencyLimit limit, Guid runId) =>
        limit.ActiveSlots.Distinct().Count(slot => slot != runId);

    /// <summary>A run holds slots only while RUNNING: any other written state gives them back
    /// (Prefect's <c>ReleaseTaskConcurrencySlots</c>, which also applies to forced transitions).</summary>
    private static bool ReleasesSlots(TaskRun run, State written) =>
        written.Type != StateType.Running && run.Tags.Count > 0;
}
