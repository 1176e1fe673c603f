// Map a task over a list (one task run per item, run concurrently), pass a value whole to every call with Unmapped,
// and start a task only once others are done with waitFor.
using OrleansFlow;

Console.WriteLine($"Total: {Mapping.MapFlow(10)}");

public static class Mapping
{
    [FlowTask]
    public static int Square(int x) => x * x;

    [FlowTask]
    public static int Scale(int x, int factor) => x * factor;

    [FlowTask]
    public static void Report(string what) => Console.WriteLine($"all squares done: {what}");

    [Flow(Name = "map-and-wait-for", MaxConcurrency = 4)]
    public static int MapFlow(int n)
    {
        var squares = Flows.Map(x => Square(x), Enumerable.Range(1, n));
        var scaled = Flows.Map((x, factor) => Scale(x, factor), [1, 2, 3], Unmapped.Of(10));
        Flows.Submit(() => Report("yes"), waitFor: squares).Wait();
        return squares.Sum(f => f.Result()) + scaled.Sum(f => f.Result());
    }
}
