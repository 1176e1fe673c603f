using System.Net;

namespace OrleansFlow.Bench.Scenarios;

/// <summary>The single HTTP/1.1 keep-alive client shared by all workers.</summary>
internal static class BenchHttpClient
{
    public static HttpClient Create(int maxConnections, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            // One request in flight per worker: one pooled connection each, never recycled mid-run.
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // A redirect (e.g. a missing trailing slash) must show up as an error, not as hidden extra requests.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            ActivityHeadersPropagator = null,
        };

        return new HttpClient(handler)
        {
            Timeout = timeout,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}
