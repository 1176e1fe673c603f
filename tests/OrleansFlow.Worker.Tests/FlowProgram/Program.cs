using OrleansFlow;

// Started by a worker: run the flow run it names and exit; otherwise there is nothing to do.
return await FlowRunEntry.TryRunFromEnvironmentAsync(typeof(Greetings).Assembly) ? 0 : 2;

public static class Greetings
{
    [Flow(Name = "worker-program-greet")]
    public static string Greet(string name, int times) => string.Concat(Enumerable.Repeat($"hello {name} ", times));
}

/// <summary>A flow whose task takes a slot of the <c>worker-slot</c> tag concurrency limit and never ends: the process
/// is meant to be killed.</summary>
public static class Holding
{
    [FlowTask(Tags = ["worker-slot"])]
    public static void HoldSlot()
    {
        Thread.Sleep(Timeout.Infinite);
    }

    [Flow(Name = "worker-program-hold")]
    public static void Hold() => HoldSlot();
}
