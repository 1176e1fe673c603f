using OrleansFlow;

// Runs a flow that waits until the process is stopped; CRASH_MARKER names the file it writes once running, and
// the OnCrashed hook appends the state it saw to the same file.
await Flows.CallAsync(Waiting.WaitForeverAsync, Environment.GetEnvironmentVariable("CRASH_MARKER")!);
return 0;

public static class Waiting
{
    [Flow(Name = "crash-program", OnCrashed = [typeof(MarkerHook)])]
    public static async Task<int> WaitForeverAsync(string marker)
    {
        await File.WriteAllTextAsync(marker, $"running {FlowRunContext.Current!.FlowRunId}\n");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}

public sealed class MarkerHook : IRunHook
{
    public Task OnFinishedAsync(RunHookContext context) =>
        File.AppendAllTextAsync(Environment.GetEnvironmentVariable("CRASH_MARKER")!, $"hook {context.State?.Name}\n");
}
