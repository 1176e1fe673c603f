using System.Collections.Concurrent;
using System.Net.Http.Json;
using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class CancellationTests
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource<Guid>> Started = new();
    private static readonly ConcurrentQueue<string> Heard = new();

    public sealed class CancelHook : IRunHook
    {
        public Task OnFinishedAsync(RunHookContext context)
        {
            Heard.Enqueue($"{context.Name}:{context.State?.Name}:{context.RunId}");
            return Task.CompletedTask;
        }
    }

    [Flow(Name = "cancellable-flow", OnCancellation = [typeof(CancelHook)], OnFailure = [typeof(CancelHook)])]
    internal static async Task<int> Cancellable(string key)
    {
        Started[key].TrySetResult(FlowRunContext.Current!.FlowRunId);
        await Task.Delay(Timeout.Infinite, Flows.CancellationToken);
        return 1;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CancellingARunningFlow_CancelsItsToken_RunEndsCancelled_OnCancellationHooksRun(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        var key = $"cancel-{postgres}";
        var started = Started.GetOrAdd(key, _ => new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously));

        var call = Task.Run(() => Flows.CallAsync(Cancellable, key));
        var id = await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using (var response = await server.Http.PostAsJsonAsync($"flow_runs/{id}/set_state", new { state = new { type = "CANCELLING" } }))
        {
            response.EnsureSuccessStatusCode();
        }

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("was cancelled", thrown.Message, StringComparison.Ordinal);
        var run = await server.FlowRunAsync(id);
        Assert.Equal("CANCELLED", run.State().Str("type"));
        Assert.Equal(["Pending", "Running", "Cancelling", "Cancelled"], await server.FlowRunStateNamesAsync(id));
        Assert.Contains($"cancellable-flow:Cancelled:{id}", Heard);
    }
}
