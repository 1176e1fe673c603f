// Serving: register deployments of flow methods (schedule, default parameters, tags) and run their runs in this process.
// Start a server (`orleansflow server start`, then ORLEANSFLOW_API_URL=http://127.0.0.1:4200/api) or let ephemeral mode start
// one here; then `orleansflow deployment run hello/on-demand -p name=ada` (or the UI) makes a run that this process picks up
// at once, and the schedules make runs of their own. Ctrl+C stops serving after the runs in flight end.
using Microsoft.Extensions.Logging;
using OrleansFlow;

await Flows.ServeAsync(
    new ServeOptions { Limit = 4, Log = Console.Out },
    CancellationToken.None,
    Deployment.For(Greetings.Hello, name: "on-demand", parameters: new { name = "world" }, tags: ["sample"],
        description: "Says hello to whoever the run names."),
    Deployment.For(Greetings.Hello, name: "every-minute", interval: TimeSpan.FromMinutes(1), parameters: new { name = "minute" }),
    Deployment.For(Reports.Nightly, name: "nightly", cron: "0 3 * * *", timezone: "Europe/Paris", parameters: new { days = 1 }));

public static class Greetings
{
    [FlowTask(Retries = 2)]
    public static string Format(string name) => $"Hello, {name}!";

    [Flow(Name = "hello")]
    public static string Hello(string name)
    {
        var text = Format(name);
        Flows.Logger.LogInformation("{Text}", text);
        return text;
    }
}

public static class Reports
{
    [FlowTask]
    public static async Task<int> CountEvents(int day)
    {
        // The flow run's token: cancelled when the run is cancelled while this process serves it.
        await Task.Delay(200, FlowRunContext.Current?.CancellationToken ?? default);
        return 1000 + day;
    }

    /// <summary>A long flow that stops early when its run is cancelled (from the UI or `orleansflow flow-run cancel`).</summary>
    [Flow(Name = "nightly-report")]
    public static async Task<int> Nightly(int days, CancellationToken cancellationToken)
    {
        var total = 0;
        for (var day = 0; day < days; day++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            total += await CountEvents(day);
        }

        return total;
    }
}
