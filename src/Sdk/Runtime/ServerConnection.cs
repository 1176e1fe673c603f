using System.Collections.Concurrent;
using OrleansFlow.Client;

namespace OrleansFlow.Runtime;

/// <summary>Which server runs talk to: the one of an enclosing <see cref="Flows.UseApi(string)"/> scope, else
/// <c>ORLEANSFLOW_API_URL</c>, else the in-process ephemeral server (started on first use). One client per server.</summary>
internal static class ServerConnection
{
    private static readonly AsyncLocal<Uri?> Scoped = new();
    private static readonly ConcurrentDictionary<Uri, ServerSession> Clients = new();

    static ServerConnection() => AppDomain.CurrentDomain.ProcessExit += (_, _) => FlushAll();

    /// <summary>The session (client, log shipper) of the server in effect.</summary>
    public static async Task<ServerSession> GetClientAsync(CancellationToken cancellationToken = default)
    {
        var url = Scoped.Value;
        if (url is null && Environment.GetEnvironmentVariable("ORLEANSFLOW_API_URL") is { Length: > 0 } configured)
        {
            url = new Uri(configured);
        }

        url ??= await EphemeralMode.GetApiUrlAsync(cancellationToken).ConfigureAwait(false);
        return Clients.GetOrAdd(url, static u => new ServerSession(OrleansFlowClient.Create(u, "orleansflow-sdk")));
    }

    /// <summary>Sets the server of the calling async flow until the returned scope is disposed.</summary>
    public static IDisposable Use(Uri apiUrl)
    {
        var previous = Scoped.Value;
        Scoped.Value = apiUrl;
        return new Restore(previous);
    }

    /// <summary>Sends the queued logs of every client (at process exit, before the ephemeral server stops).</summary>
    public static void FlushAll()
    {
        foreach (var client in Clients.Values)
        {
            try
            {
                client.Logs.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is TimeoutException or HttpRequestException or OrleansFlowApiException or OperationCanceledException)
            {
                Console.Error.WriteLine($"OrleansFlow: logs not sent at exit: {e.Message}");
            }
        }
    }

    private sealed class Restore(Uri? previous) : IDisposable
    {
        public void Dispose() => Scoped.Value = previous;
    }
}
