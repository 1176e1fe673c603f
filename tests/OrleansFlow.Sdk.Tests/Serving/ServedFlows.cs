using System.Collections.Concurrent;

namespace OrleansFlow.Sdk.Tests.Serving;

/// <summary>Flows the serving tests deploy; each records what it saw by flow run id.</summary>
public static class ServedFlows
{
    public static ConcurrentDictionary<Guid, string> Greetings { get; } = new();

    public static ConcurrentDictionary<Guid, bool> Ticks { get; } = new();

    public static ConcurrentDictionary<Guid, bool> SawCancellation { get; } = new();

    private static int _running;

    public static int MostAtOnce { get; private set; }

    public static ConcurrentDictionary<Guid, bool> Gated { get; } = new();

    public static SemaphoreSlim Gate { get; } = new(0);

    [FlowTask]
    public static string Shout(string text) => text.ToUpperInvariant();

    [Flow(Name = "served-greet")]
    public static string Greet(string who, int times = 1)
    {
        var text = string.Join(' ', Enumerable.Repeat(Flows.Call(Shout, who), times));
        Greetings[FlowRunContext.Current!.FlowRunId] = text;
        return text;
    }

    [Flow(Name = "served-tick")]
    public static async Task Tick()
    {
        await Task.Yield();
        Ticks[FlowRunContext.Current!.FlowRunId] = true;
    }

    [Flow(Name = "served-wait")]
    public static async Task<int> WaitForCancellation(int seconds, CancellationToken cancellationToken)
    {
        var context = FlowRunContext.Current!;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
            return seconds;
        }
        catch (OperationCanceledException)
        {
            SawCancellation[context.FlowRunId] = context.CancellationToken.IsCancellationRequested;
            throw;
        }
    }

    [Flow(Name = "served-gated")]
    public static async Task Gated1()
    {
        var now = Interlocked.Increment(ref _running);
        lock (Gate)
        {
            MostAtOnce = Math.Max(MostAtOnce, now);
        }

        try
        {
            await Gate.WaitAsync(TimeSpan.FromSeconds(60));
            Gated[FlowRunContext.Current!.FlowRunId] = true;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
