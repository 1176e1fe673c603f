namespace OrleansFlow.Grains.States;

/// <summary>What flow runs and task runs share of Prefect's terminal-state rules.</summary>
internal static class TerminalRules
{
    /// <summary>A run in a terminal state never goes to CANCELLING, PAUSED or CRASHED (ABORT), and never leaves a
    /// completion with a persisted result (REJECT, keeping its state).</summary>
    /// <returns>True when the caller's rule has nothing more to do: the run is not terminal, or this decided.</returns>
    public static bool RefuseLeaving<TRun>(RuleEvaluation<TRun> evaluation)
        where TRun : class
    {
        if (evaluation.Initial is not { } initial || !initial.IsTerminal())
        {
            return true;
        }

        if (evaluation.Proposed.Type is StateType.Cancelling or StateType.Paused or StateType.Crashed)
        {
            evaluation.Abort($"Run is already {initial.Type.WireName()}.");
            return true;
        }

        if (initial.Type == StateType.Completed && initial.HasPersistedResult())
        {
            evaluation.Reject(null, "This run is already completed.");
            return true;
        }

        return false;
    }
}
