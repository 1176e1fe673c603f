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

    /// <summary>Runs housekeeping in this server: the housekeeper grain's sweep (late runs, expired claims) is
    /// started with the server; default true. The grain is one activation in the whole cluster, so servers sharing a
    /// database sweep once between them. Deployment schedules and crashed-run detection are reminders and timers of
    /// their own grains and run regardless. From <c>ORLEANSFLOW_SERVER_BACKGROUND_PROCESSES</c> (<c>true</c>/<c>false</c>).</summary>
    public bool BackgroundProcesses { get; set; } = true;

    /// <summary>Serves the Orleans Dashboard (grains, activations, calls, silos) at <c>/dashboard</c>; default true. From
    /// <c>ORLEANSFLOW_SERVER_DASHBOARD</c> (<c>true</c>/<c>false</c>) or <c>--no-dashboard</c>.</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>A first admin API key (at least 16 characters); when set, every API call and UI page needs a key (see
    /// docs/security.md). Default none. From <c>ORLEANSFLOW_SERVER_API_KEY</c> or <c>--api-key</c>. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Requires an API key even without <see cref="ApiKey"/>, with keys from the database only; default false.
    /// From <c>ORLEANSFLOW_SERVER_REQUIRE_API_KEY</c> (<c>true</c>/<c>false</c>) or <c>--require-api-key</c>.</summary>
    public bool RequireApiKey { get; set; }

    /// <summary>Allows serving without authentication on an address that is not loopback; default false, and then such a
    /// server refuses to start. From <c>ORLEANSFLOW_SERVER_INSECURE</c> (<c>true</c>/<c>false</c>) or <c>--insecure</c>.</summary>
    public bool Insecure { get; set; }

    /// <summary>Host names (without port) a request's <c>Host</c> header may name, beside <c>localhost</c>,
    /// <c>127.0.0.1</c>, <c>::1</c>, <see cref="Host"/> and, when <see cref="Host"/> is a wildcard (<c>0.0.0.0</c>,
    /// <c>::</c>), the machine's name and addresses; others get 400 (against DNS rebinding). <c>*</c> allows any host.
    /// Default empty. From <c>ORLEANSFLOW_SERVER_ALLOWED_HOSTS</c> (comma-separated), the <c>OrleansFlow:Server:AllowedHosts</c>
    /// configuration section, or <c>--allowed-host</c>.</summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Adds exporters (or anything else) to the process's OpenTelemetry traces and metrics; default none. When
    /// set, telemetry is on whatever the environment says; otherwise it is on only when an OTLP endpoint is configured by
    /// the standard variables (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> /
    /// <c>_METRICS_ENDPOINT</c>) and <c>OTEL_SDK_DISABLED</c> is not <c>true</c>. See docs/observability.md.</summary>
    public Action<OpenTelemetry.IOpenTelemetryBuilder>? Telemetry { get; set; }

    /// <summary>True when callers must present an API key: <see cref="ApiKey"/> is set or <see cref="RequireApiKey"/> is true.</summary>
    public bool AuthenticationEnabled => !string.IsNullOrEmpty(ApiKey) || RequireApiKey;

    /// <summary>True when <see cref="Host"/> is a loopback address or <c>localhost</c>.</summary>
    public bool ListensOnLoopbackOnly =>
        string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

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

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SERVER_API_KEY") is { Length: > 0 } apiKey)
        {
            options.ApiKey = apiKey;
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SERVER_REQUIRE_API_KEY") is { Length: > 0 } require)
        {
            options.RequireApiKey = bool.TryParse(require, out var required)
                ? required
                : throw new InvalidOperationException($"ORLEANSFLOW_SERVER_REQUIRE_API_KEY must be true or false, not '{require}'.");
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SERVER_INSECURE") is { Length: > 0 } insecure)
        {
            options.Insecure = bool.TryParse(insecure, out var allowed)
                ? allowed
                : throw new InvalidOperationException($"ORLEANSFLOW_SERVER_INSECURE must be true or false, not '{insecure}'.");
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SERVER_ALLOWED_HOSTS") is { Length: > 0 } hosts)
        {
            foreach (var name in hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.AllowedHosts.Add(name);
            }
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

        if (ApiKey is { } key && (key.Length < 16 || key.Length > 512 || key.Any(char.IsWhiteSpace)))
        {
            throw new InvalidOperationException("The server API key (--api-key, ORLEANSFLOW_SERVER_API_KEY) must be 16 to 512 characters without spaces.");
        }

        if (Silo.Kubernetes && Database.Dialect != OrleansFlow.Silo.Storage.SqlDialect.Postgres)
        {
            throw new InvalidOperationException(
                "ORLEANSFLOW_SILO_KUBERNETES needs a PostgreSQL database (ORLEANSFLOW_DATABASE_URL=postgresql://...): the silos of a Kubernetes cluster share its membership.");
        }

        if (!ListensOnLoopbackOnly && !AuthenticationEnabled && !Insecure)
        {
            throw new InvalidOperationException(
                $"The server would listen on {Host}, which is reachable from other machines, without authentication. Give it an admin key "
                + "(--api-key KEY or ORLEANSFLOW_SERVER_API_KEY), or --require-api-key with keys already in the database, "
                + "or pass --insecure (ORLEANSFLOW_SERVER_INSECURE=true) to serve without authentication.");
        }
    }
}
