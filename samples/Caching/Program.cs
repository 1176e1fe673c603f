// A task cached on its inputs: the second call with the same input is answered Cached by the server and its body
// does not run; the value comes from the persisted result (~/.orleansflow/storage).
using OrleansFlow;

Console.WriteLine($"first run: {Caching.CachingFlow(7)}");
Console.WriteLine($"second run: {Caching.CachingFlow(7)}");

public static class Caching
{
    [FlowTask(CacheKey = typeof(TaskInputHash), CacheExpirationSeconds = 3600)]
    public static int Expensive(int x)
    {
        Console.WriteLine($"computing {x} * 6 (slowly)");
        Thread.Sleep(500);
        return x * 6;
    }

    [Flow(Name = "task-caching")]
    public static int CachingFlow(int x) => Expensive(x) + Expensive(x);
}
