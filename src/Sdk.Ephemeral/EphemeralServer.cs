using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansFlow.Gateway;
using OrleansFlow.Gateway.Hosting;
using OrleansFlow.Client;
using OrleansFlow.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Ephemeral;

/// <summary>Ephemeral mode: with no server configured, the first flow call starts the OrleansFlow server inside this
/// process on <c>127.0.0.1</c> and a free port, on the local database (<c>~/.orleansflow/orleansflow.db</c>;
/// <c>ORLEANSFLOW_HOME</c> and <c>ORLEANSFLOW_DATABASE_URL</c> move it), and the SDK talks HTTP to it like to any server.
/// It stops at process exit, after the queued logs are sent. When <c>orleansflow server start</c> already runs on that
/// SQLite file (it advertises itself in <c>&lt;database&gt;.server.json</c>), the program uses that server instead of
/// hosting a second silo on the file. The SDK finds this type at run time by name; it is the only
/// code on the SDK's side that references the server.</summary>
public static class EphemeralServer
{
    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static Uri? _apiUrl;
    private static WebApplication? _app;

    /// <summary>The API root of the in-process server (e.g. <c>http://127.0.0.1:41234/api</c>), started on first call.</summary>
    /// <exception cref="InvalidOperationException">The database cannot be opened or a setting is not valid.</exception>
    public static async Task<Uri> StartAsync(CancellationToken cancellationToken)
    {
        if (_apiUrl is { } known)
        {
            return known;
        }

        await StartLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_apiUrl is null && await FindRunningServerAsync(cancellationToken).ConfigureAwait(false) is { } running)
            {
                // `orleansflow server start` serves this database already: one silo per file, so use it.
                await Console.Error.WriteLineAsync($"OrleansFlow: using the server running on this database at {running}").ConfigureAwait(false);
                _apiUrl = running;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => ServerConnection.FlushAll();
            }

            if (_apiUrl is null)
            {
                // Started without the caller's ambient context: the server's threads must not carry a run's context.
                Task<WebApplication> starting;
                using (ExecutionContext.SuppressFlow())
                {
                    starting = Task.Run(() => BuildAsync(cancellationToken), cancellationToken);
                }

                var app = await starting.ConfigureAwait(false);
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                _app = app;
                _apiUrl = new Uri(address.TrimEnd('/') + "/api");
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
            }

            return _apiUrl;
        }
        finally
        {
            StartLock.Release();
        }
    }

    /// <summary>The server advertised for the local SQLite database (<see cref="LocalServerFile"/>), if one runs.</summary>
    private static async Task<Uri?> FindRunningServerAsync(CancellationToken cancellationToken)
    {
        var database = DatabaseOptions.FromEnvironment();
        return database.Dialect == SqlDialect.Sqlite
            ? await LocalServerFile.FindAsync(database.SqlitePath, !string.IsNullOrEmpty(OrleansFlowClientOptions.DefaultApiKey()), cancellationToken).ConfigureAwait(false)
            : null;
    }

    private static async Task<WebApplication> BuildAsync(CancellationToken cancellationToken)
    {
        // A user program runs flows; schedules and late-run marking are the job of `orleansflow server start`.
        var options = new ServerOptions { Host = "127.0.0.1", Port = 0, BackgroundProcesses = false };
        // The silo's own start-up warnings (workstation GC, chosen on purpose for a process that also runs the user's
        // code) are not the flow program's output; its errors still are.
        var app = await GatewayHost.BuildAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans.Runtime.Silo", LogLevel.Error),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }

    private static void Stop()
    {
        ServerConnection.FlushAll();
        if (_app is { } app)
        {
            app.StopAsync().WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
