using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansFlow.Gateway;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Testing;

/// <summary>The real OrleansFlow HTTP server (gateway + silo, as <c>orleansflow server start</c> builds it) running inside
/// the test process on <c>127.0.0.1</c> and a free port. Disposing stops it and deletes the temp SQLite file it made.</summary>
/// <example><code>
/// await using var server = await InProcessServer.StartAsync();                 // a fresh SQLite file
/// await using var pg = await InProcessServer.StartAsync((await PostgresServer.CreateDatabaseAsync()).Options());
/// using var http = server.CreateClient();                                      // BaseAddress = http://127.0.0.1:PORT/api/
/// var health = await http.GetStringAsync("health");                            // "true"
/// </code></example>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly SqliteFiles? _files;

    private InProcessServer(WebApplication app, Uri baseAddress, SqliteFiles? files)
    {
        App = app;
        BaseAddress = baseAddress;
        _files = files;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c> (with a trailing slash).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The API root as a Prefect client's <c>PREFECT_API_URL</c> takes it, e.g. <c>http://127.0.0.1:41234/api</c>.</summary>
    public string ApiUrl => new Uri(BaseAddress, "api").ToString();

    /// <summary>The running application (its services hold the silo, the options and the queries).</summary>
    public WebApplication App { get; }

    /// <summary>The grain runtime behind the server, to arrange or check data beside the HTTP API.</summary>
    public OrleansFlowSilo Silo => App.Services.GetRequiredService<OrleansFlowSilo>();

    /// <summary>Builds and starts a server.</summary>
    /// <param name="database">Where it keeps its data; null (the default) means a new SQLite file in a temp folder.</param>
    /// <param name="clock">The clock of the silo; default the system clock (pass a <see cref="ManualClock"/> to control time).</param>
    /// <param name="configure">Changes to the <see cref="ServerOptions"/> before start (the host and port are set already).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="logging">Changes to the logging (after the default of warnings and above), e.g. a provider that
    /// records every message.</param>
    /// <exception cref="InvalidOperationException">The options are not valid or the database cannot be opened.</exception>
    public static async Task<InProcessServer> StartAsync(DatabaseOptions? database = null, TimeProvider? clock = null,
        Action<ServerOptions>? configure = null, CancellationToken cancellationToken = default, Action<ILoggingBuilder>? logging = null)
    {
        var files = database is null ? new SqliteFiles() : null;
        try
        {
            var options = new ServerOptions { Host = "127.0.0.1", Port = 0, Database = database ?? files!.NewDatabase() };
            configure?.Invoke(options);
            var app = await GatewayHost.BuildAsync(options, clock: clock,
                logging: builder =>
                {
                    builder.SetMinimumLevel(LogLevel.Warning);
                    logging?.Invoke(builder);
                }, cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                return new InProcessServer(app, new Uri(address.TrimEnd('/') + "/"), files);
            }
            catch
            {
                // The silo is disposed when the application stops, which a failed start never reaches.
                await app.Services.GetRequiredService<OrleansFlowSilo>().DisposeAsync().ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            files?.Dispose();
            throw;
        }
    }

    /// <summary>A client whose <see cref="HttpClient.BaseAddress"/> is the API root with a trailing slash
    /// (<c>http://127.0.0.1:PORT/api/</c>), so relative paths such as <c>"flow_runs/filter"</c> work. The caller disposes it.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = new Uri(BaseAddress, "api/") };

    /// <summary>Stops the server (which disposes its silo and database) and deletes its temp SQLite file, if it made one.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await App.DisposeAsync().ConfigureAwait(false);
            _files?.Dispose();
        }
    }
}
