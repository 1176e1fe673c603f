using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Gateway.Tests.Infrastructure;

/// <summary>A real OrleansFlow server (Silo + Gateway) listening on a free loopback port, talked to over real HTTP.</summary>
internal sealed class LiveServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LiveServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        // What the Prefect 2.10.11 client sends with every call.
        Client.DefaultRequestHeaders.Add("x-prefect-api-version", "0.8.4");
        Client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>Starts a server on <paramref name="databaseUrl"/>; <paramref name="configure"/> may change any option.</summary>
    public static async Task<LiveServer> StartAsync(string databaseUrl, Action<ServerOptions>? configure = null)
    {
        var options = new ServerOptions
        {
            Port = 0,
            Database = new DatabaseOptions { DatabaseUrl = databaseUrl, Home = Path.GetTempPath() },
        };
        configure?.Invoke(options);
        var app = await GatewayHost.BuildAsync(options, logging: logging => logging.ClearProviders());
        await app.StartAsync();
        var address = app.Urls.Single().Replace("//[::]", "//127.0.0.1", StringComparison.Ordinal);
        return new LiveServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
