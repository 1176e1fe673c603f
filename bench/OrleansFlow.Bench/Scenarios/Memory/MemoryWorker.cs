using System.Net;

namespace OrleansFlow.Bench.Scenarios.Memory;

/// <summary>One client of the <c>memory</c> scenario: takes the next run number until all are taken, and for each one
/// creates a flow run (SCHEDULED) and moves it PENDING → RUNNING → COMPLETED, one request in flight at a time. A run is
/// abandoned at its first error; errors are counted by kind (<c>operation reason</c>), with the first sample of each.</summary>
internal sealed class MemoryWorker(HttpClient http, PrefectEndpoints endpoints, string flowId, MemoryProgress progress)
{
    private static readonly TimeSpan TransportErrorBackoff = TimeSpan.FromMilliseconds(100);
    private readonly RequestBodies _bodies = new();
    private readonly ResponseBuffer _response = new();

    public Dictionary<string, long> Errors { get; } = [];

    public Dictionary<string, string> ErrorSamples { get; } = [];

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && progress.TryTake(out var number))
        {
            if (await RunOnceAsync(number))
            {
                progress.Completed();
            }
        }
    }

    private async Task<bool> RunOnceAsync(long number)
    {
        var body = _bodies.FlowRun(flowId, "memory-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddSeconds(-1));
        if (!await PostAsync(endpoints.FlowRuns, body, "create_flow_run"))
        {
            return false;
        }

        if (ResponseParser.ReadId(_response.Body) is not { } id)
        {
            Record("create_flow_run no_id");
            return false;
        }

        var setState = endpoints.FlowRunSetState(id);
        foreach (var state in new[] { RequestBodies.SetPending, RequestBodies.SetRunning, RequestBodies.SetCompleted })
        {
            if (!await PostAsync(setState, state, "set_flow_run_state"))
            {
                return false;
            }

            if (!ResponseParser.IsAccepted(_response.Body, out var status))
            {
                Record($"set_flow_run_state {status ?? "no_status"}");
                return false;
            }
        }

        return true;
    }

    private async Task<bool> PostAsync(Uri uri, ReadOnlyMemory<byte> body, string operation)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = content,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await _response.ReadAsync(response.Content);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            Record($"{operation} http_{(int)response.StatusCode}");
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            Record($"{operation} {(ex is OperationCanceledException ? "timeout" : "transport")}", $"{ex.GetType().Name}: {ex.Message}");
            await Task.Delay(TransportErrorBackoff);
            return false;
        }
    }

    private void Record(string kind, string? sample = null)
    {
        Errors[kind] = Errors.GetValueOrDefault(kind) + 1;
        ErrorSamples.TryAdd(kind, sample ?? _response.Preview(300));
    }
}
