using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

public static partial class TaskRunRules
{
    /// <summary>A task about to run whose cache key has a valid cached COMPLETED state does not run: the
    /// proposal is rejected with a copy of that state named <c>Cached</c> (its data, message and details).
    /// <c>refresh_cache</c> skips the lookup.</summary>
    private static void CacheRetrieval(TaskRunEvaluation evaluation)
    {
        var details = evaluation.Proposed.StateDetails;
        if (evaluation.Proposed.Type != StateType.Running
            || string.IsNullOrEmpty(details.CacheKey)
            || details.RefreshCache == true
            || evaluation.Context.CachedState is not { } cached
            || cached.StateDetails.CacheExpiration <= evaluation.Context.Now)
        {
            return;
        }

        var copy = new ProposedState
        {
            Type = cached.Type,
            Name = "Cached",
            Message = cached.Message,
            Data = cached.Data,
            StateDetails = cached.StateDetails,
        };
        evaluation.Reject(copy, "Retrieved state from cache");
    }
}
