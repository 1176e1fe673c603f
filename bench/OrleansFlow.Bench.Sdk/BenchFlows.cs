namespace OrleansFlow.Bench.Sdk;

/// <summary>The flows measured: trivial tasks, so that what is timed is the orchestration around them.</summary>
public static class BenchFlows
{
    private static long _finished;

    /// <summary>Task bodies that finished (for the memory samples of the map).</summary>
    public static long Finished => Interlocked.Read(ref _finished);

    /// <summary>A trivial task.</summary>
    [FlowTask]
    public static int Increment(int value)
    {
        Interlocked.Increment(ref _finished);
        return value + 1;
    }

    /// <summary>The body of <see cref="Sequential"/> as plain calls (outside a flow, tasks are plain calls).</summary>
    public static int SequentialBody(int tasks)
    {
        var value = 0;
        for (var i = 0; i < tasks; i++)
        {
            value = Increment(value);
        }

        return value;
    }

    /// <summary><paramref name="tasks"/> task runs, one after another.</summary>
    [Flow(Name = "bench-sequential", LogPrints = false)]
    public static int Sequential(int tasks) => SequentialBody(tasks);

    /// <summary>One task run, whose body reports that it runs (the ephemeral start-up scenario).</summary>
    [FlowTask]
    public static int ReportRunning()
    {
        EphemeralStartup.ReportFirstTask();
        return 1;
    }

    /// <summary>The first flow of an ephemeral-mode process: one task.</summary>
    [Flow(Name = "bench-ephemeral-first-task", LogPrints = false)]
    public static int FirstTask() => ReportRunning();

    /// <summary><paramref name="tasks"/> task runs mapped over the concurrent task runner.</summary>
    [Flow(Name = "bench-map", LogPrints = false, MaxConcurrency = 64)]
    public static long Map(int tasks)
    {
        var futures = Flows.Map(Increment, Enumerable.Range(0, tasks));
        long sum = 0;
        foreach (var future in futures)
        {
            sum += future.Result();
        }

        return sum;
    }
}
