using System.Collections.Concurrent;
using OrleansFlow.Client;
using OrleansFlow.Logging;

namespace OrleansFlow.Runtime;

/// <summary>What the SDK keeps per server: the typed client, the log shipper, and the ids of the flows it has upserted.</summary>
internal sealed class ServerSession : IDisposable
{
    private readonly ConcurrentDictionary<string, Guid> _flowIds = new(StringComparer.Ordinal);

    public ServerSession(OrleansFlowClient api)
    {
        Api = api;
        Logs = new LogShipper(api);
    }

    /// <summary>The server's client.</summary>
    public OrleansFlowClient Api { get; }

    /// <summary>Ships run logs to this server in batches.</summary>
    public LogShipper Logs { get; }

    /// <summary>The API root.</summary>
    public Uri ApiUrl => Api.ApiUrl;

    /// <summary>The id of the flow named <paramref name="name"/>, upserted on first sight (<c>POST /api/flows/</c>).</summary>
    public async Task<Guid> UpsertFlowAsync(string name, CancellationToken cancellationToken = default)
    {
        if (_flowIds.TryGetValue(name, out var known))
        {
            return known;
        }

        var flow = await Api.CreateFlowAsync(new FlowCreate(name, []), cancellationToken).ConfigureAwait(false);
        _flowIds[name] = flow.Id;
        return flow.Id;
    }

    public void Dispose()
    {
        Logs.Dispose();
        Api.Dispose();
    }
}
