using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace OrleansFlow.Testing;

/// <summary>One HTTP request as <see cref="HttpTestReceiver"/> got it, with the time its body had been read.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset Received)
{
    /// <summary>The value of header <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A local HTTP endpoint for tests (HttpListener on 127.0.0.1 and a free port) that records every request and
/// answers with <see cref="Status"/> (or the next of <see cref="Statuses"/>) and <see cref="ResponseBody"/>.</summary>
public sealed class HttpTestReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly Task _loop;

    private HttpTestReceiver(int port)
    {
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The base URL, ending with a slash.</summary>
    public string Url { get; }

    /// <summary>The status answered when <see cref="Statuses"/> is empty. Default 200.</summary>
    public int Status { get; set; } = 200;

    /// <summary>Statuses answered first, one per request, in order.</summary>
    public ConcurrentQueue<int> Statuses { get; } = new();

    /// <summary>The body of every answer. Default <c>ok</c>.</summary>
    public string ResponseBody { get; set; } = "ok";

    /// <summary>The requests received so far, in order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Starts a receiver on a free port.</summary>
    public static HttpTestReceiver Start() => new(FreePort.Next());

    /// <summary>Waits (with a deadline) until <paramref name="count"/> requests have arrived and returns the last of them.</summary>
    public async Task<ReceivedRequest> WaitForAsync(int count = 1)
    {
        await Poll.UntilAsync(() => _requests.Count >= count, TimeSpan.FromSeconds(20), $"{count} request(s) at {Url}");
        return Requests[count - 1];
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            _requests.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, headers, body, DateTimeOffset.UtcNow));
            context.Response.StatusCode = Statuses.TryDequeue(out var status) ? status : Status;
            var bytes = Encoding.UTF8.GetBytes(ResponseBody);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.ConfigureAwait(false);
    }
}
