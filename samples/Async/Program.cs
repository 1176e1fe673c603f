// Asynchronous flows and tasks: awaited like any async method; Submit/Map futures are awaitable too.
using Microsoft.Extensions.Logging;
using OrleansFlow;

Console.WriteLine($"Total length: {await Pages.FetchAll(3)}");

public static class Pages
{
    [FlowTask(Retries = 2, RetryDelaySeconds = 0.5, TimeoutSeconds = 10)]
    public static async Task<string> FetchPage(int page)
    {
        await Task.Delay(100, TaskRunContext.Current?.CancellationToken ?? default);
        Flows.Logger.LogInformation("fetched page {Page}", page);
        return $"<page {page}>";
    }

    [Flow(Name = "async-flow")]
    public static async Task<int> FetchAll(int pages)
    {
        var first = await FetchPage(0);
        var rest = Flows.Map(p => FetchPage(p), Enumerable.Range(1, pages));
        var total = first.Length;
        foreach (var page in rest)
        {
            total += (await page).Length;
        }

        return total;
    }
}
