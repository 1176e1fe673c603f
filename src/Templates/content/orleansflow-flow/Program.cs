using OrleansFlow;

// With no ORLEANSFLOW_API_URL this runs against an in-process server on ~/.orleansflow/orleansflow.db;
// `orleansflow server start` afterwards shows the run and its task runs in the UI.
var report = Pipeline.Run(3);
Console.WriteLine($"Done: {report}");

public record Report(int Items, int Total);

public static class Pipeline
{
    [FlowTask(Retries = 2, RetryDelaySeconds = 1)]
    public static int[] Extract(int count) => [.. Enumerable.Range(1, count)];

    [FlowTask]
    public static int Transform(int[] items) => items.Sum();

    [FlowTask]
    public static Report Load(int[] items, int total) => new(items.Length, total);

    [Flow(Name = "Company.Flow1")]
    public static Report Run(int count)
    {
        var items = Extract(count);
        var total = Transform(items);
        return Load(items, total);
    }
}
