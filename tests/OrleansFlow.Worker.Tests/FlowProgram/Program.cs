using OrleansFlow;

// Started by a worker: run the flow run it names and exit; otherwise there is nothing to do.
return await FlowRunEntry.TryRunFromEnvironmentAsync(typeof(Greetings).Assembly) ? 0 : 2;

public static class Greetings
{
    [Flow(Name = "worker-program-greet")]
    public static string Greet(string name, int times) => string.Concat(Enumerable.Repeat($"hello {name} ", times));
}
