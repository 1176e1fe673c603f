using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Gateway;

/// <summary>Settings of an OrleansFlow server process.</summary>
public sealed class ServerOptions
{
    /// <summary>The address to listen on; default <c>127.0.0.1</c>. From <c>ORLEANSFLOW_SERVER_HOST</c> or <c>--host</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The port to listen on; default 4200, 0 picks a free port. From <c>ORLEANSFLOW_SERVER_PORT</c> or <c>--port</c>.</summary>
    public int Port { get; set; } = 4200;

    /// <summary>The largest request body accepted, in bytes; default 16 MiB. Larger bodies get HTTP 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Where the data lives.</summary>
    public DatabaseOptions Database { get; set; } = DatabaseOptions.FromEnvironment();

    /// <summary>Grain runtime settings.</summary>
    public SiloOptions Silo { get; set; } = SiloOptions.FromEnvironment();

    /// <summary>Runs the background processes (deployment scheduler, late-run marker) in this server; default true. Across
    /// servers sharing a database each tick runs on one server only (it holds a lease). From
    /// <c>ORLEANSFLOW_SERVER_BACKGROUND_PROCESSES</c> (<c>true</c>/<c>false</c>).</summary>
    public bool BackgroundProcesses { get; set; } = true;

    /// <summary>Serves the Orleans Dashboard (grains, activations, calls, silos) at <c>/dashboard</c>; default true. From
    /// <c>ORLEANSFLOW_SERVER_DASHBOARD</c> (<c>true</c>/<c>false</c>) or <c>--no-dashboard</c>.</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>Reads <c>ORLEANSFLOW_SERVER_HOST</c>, <c>ORLEANSFLOW_SERVER_PORT</c>, <c>ORLEANSFLOW_SERVER_BACKGROUND_PROCESSES</c>,
    /// <c>ORLEANSFLOW_SERVER_DASHBOARD</c> and the database variables.</summary>
    /// <exception cref="InvalidOperationException">A variable holds a value that is not valid.</exception>
    public static ServerOptions FromEnvironment()
    {
        var options = new ServerOptions();
        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SERVER_HOST") is { Length: > 0 } host)
        {
            options.Host = host;
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SERVER_PORT") is { Length: > 0 } port)
        {
            options.Port = int.TryParse(port, out var p) && p is >= 0 and <= 65535
                ? p
                : throw new InvalidOperationException($"ORLEANSFLOW_SERVER_PORT must be a port number (0-65535), not '{port}'.");
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SERVER_BACKGROUND_PROCESSES") is { Length: > 0 } background)
        {
            options.BackgroundProcesses = bool.TryParse(background, out var run)
                ? run
                : throw new InvalidOperationException($"ORLEANSFLOW_SERVER_BACKGROUND_PROCESSES must be true or false, not '{background}'.");
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SERVER_DASHBOARD") is { Length: > 0 } dashboard)
        {
            options.Dashboard = bool.TryParse(dashboard, out var serve)
                ? serve
                : throw new InvalidOperationException($"ORLEANSFLOW_SERVER_DASHBOARD must be true or false, not '{dashboard}'.");
        }

        return options;
    }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="InvalidOperationException">A setting is not valid; the message names it.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new InvalidOperationException($"Port must be between 0 and 65535, not {Port}.");
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new InvalidOperationException("Host must not be empty.");
        }

        if (MaxRequestBodyBytes < 1024)
        {
            throw new InvalidOperationException("MaxRequestBodyBytes must be at least 1024.");
        }
    }
}
