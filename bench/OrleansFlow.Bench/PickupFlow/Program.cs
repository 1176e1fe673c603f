using System.Globalization;
using OrleansFlow;

// Started by a worker for one run: run it (the flow records when its code started) and exit.
PickupFlows.MainStart = DateTime.UtcNow.Ticks;
return await FlowRunEntry.TryRunFromEnvironmentAsync(typeof(PickupFlows).Assembly) ? 0 : 2;

/// <summary>The benchmark's flow.</summary>
public static class PickupFlows
{
    /// <summary>When <c>Main</c> began (UTC ticks): the runtime had started.</summary>
    public static long MainStart { get; set; }

    /// <summary>Appends "run-id main-start-ticks flow-start-ticks" (UTC ticks) to <c>PICKUP_FILE</c>.</summary>
    [Flow(Name = "bench-pickup")]
    public static void Pickup()
    {
        var now = DateTime.UtcNow.Ticks;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{Environment.GetEnvironmentVariable("ORLEANSFLOW_FLOW_RUN_ID")} {MainStart} {now}\n");
        File.AppendAllText(Environment.GetEnvironmentVariable("PICKUP_FILE")!, line);
    }
}
