namespace OrleansFlow.Grains.States;

/// <summary>The timing fields that flow runs and task runs share, kept up to date on every written state.</summary>
internal readonly record struct RunTimes(
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    double TotalRunTime,
    DateTimeOffset? ExpectedStartTime,
    DateTimeOffset? NextScheduledStartTime)
{
    /// <summary>Applies Prefect's timing transforms for a move from <paramref name="initial"/> to <paramref name="written"/>.</summary>
    public RunTimes After(State? initial, State written)
    {
        var startTime = StartTime;
        var endTime = EndTime;
        var totalRunTime = TotalRunTime;
        var expectedStartTime = ExpectedStartTime;
        var nextScheduledStartTime = NextScheduledStartTime;

        if (written.Type == StateType.Running && startTime is null)
        {
            startTime = written.Timestamp;
        }

        // Leaving a terminal state (a forced or allowed re-run) reopens the run.
        if (initial is not null && initial.IsTerminal() && !written.IsTerminal())
        {
            endTime = null;
        }

        // A run that never started (e.g. cached, or cancelled while scheduled) gets no end time.
        if (written.IsTerminal() && startTime is not null && endTime is null)
        {
            endTime = written.Timestamp;
        }

        if (initial is { Type: StateType.Running })
        {
            totalRunTime += (written.Timestamp - initial.Timestamp).TotalSeconds;
        }

        expectedStartTime ??= written.IsScheduled() ? written.StateDetails.ScheduledTime : written.Timestamp;

        if (initial is not null && initial.IsScheduled())
        {
            nextScheduledStartTime = null;
        }

        if (written.IsScheduled())
        {
            nextScheduledStartTime = written.StateDetails.ScheduledTime;
        }

        return new RunTimes(startTime, endTime, totalRunTime, expectedStartTime, nextScheduledStartTime);
    }
}
