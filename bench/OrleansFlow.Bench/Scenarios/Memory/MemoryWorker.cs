using System.Net;
using System.Text;

namespace OrleansFlow.Bench.Scenarios.Memory;

/// <summary>One client of the <c>memory</c> scenario: takes the next run number until all are taken, and for each one
/// creates a flow run (SCHEDULED) and moves it PENDING → RUNNING → COMPLETED, one request in flight at a time. A run is
/// abandoned at its first error; errors are counted by kind (<c>operation reason</c>), with the first sample of each.</summary>
internal sealed class MemoryWorker(HttpClient http, PrefectEndpoints endpoints, string flowId, MemoryProgress progress)
{
    private static readonly TimeSpan TransportErrorBackoff = TimeSpan.FromMilliseconds(100);
    private readonly RequestBodies _bodies = new();
    private byte[] _response = new byte[16 * 1024];
    private int _responseLength;

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

        if (ResponseParser.ReadId(_response.AsSpan(0, _responseLength)) is not { } id)
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

            if (!ResponseParser.IsAccepted(_response.AsSpan(0, _responseLength), out var status))
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
            await ReadBodyAsync(response.Content);
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
        ErrorSamples.TryAdd(kind, sample ?? Encoding.UTF8.GetString(_response, 0, Math.Min(_responseLength, 300)));
    }

    private async Task ReadBodyAsync(HttpContent content)
    {
        _responseLength = 0;
        await using var stream = await content.ReadAsStreamAsync();
        while (true)
        {
            if (_responseLength == _response.Length)
            {
                Array.Resize(ref _response, _response.Length * 2);
            }

            var read = await stream.ReadAsync(_response.AsMemory(_responseLength));
            if (read == 0)
            {
                return;
            }

            _responseLength += read;
        }
    }
}
