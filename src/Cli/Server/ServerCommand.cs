using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFlow.Gateway;
using OrleansFlow.Gateway.Hosting;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Cli.Server;

/// <summary><c>orleansflow server start</c>: the Silo and the gateway in one process; <c>orleansflow gateway start</c>: the
/// gateway alone, an Orleans client of a silo cluster on PostgreSQL.</summary>
internal static class ServerCommand
{
    public static Command Create() => new("server", "Run the OrleansFlow server.")
    {
        StartCommand("Start the server: the API at http://HOST:PORT/api on SQLite (default) or PostgreSQL (ORLEANSFLOW_DATABASE_URL).", hostsGrains: true),
    };

    /// <summary>A <c>start</c> command with the server's options, running a server (<paramref name="hostsGrains"/>) or a
    /// gateway.</summary>
    internal static Command StartCommand(string description, bool hostsGrains)
    {
        var host = new Option<string?>("--host") { Description = "Address to listen on (default 127.0.0.1, or ORLEANSFLOW_SERVER_HOST)." };
        var port = new Option<int?>("--port") { Description = "Port to listen on (default 4200, or ORLEANSFLOW_SERVER_PORT)." };
        var noDashboard = new Option<bool>("--no-dashboard") { Description = "Do not serve the Orleans Dashboard at /dashboard (or ORLEANSFLOW_SERVER_DASHBOARD=false); a gateway never does." };
        var apiKey = new Option<string?>("--api-key") { Description = "A first admin API key (16+ characters); turns authentication on (or ORLEANSFLOW_SERVER_API_KEY)." };
        var requireApiKey = new Option<bool>("--require-api-key") { Description = "Require an API key, with keys from the database only (or ORLEANSFLOW_SERVER_REQUIRE_API_KEY=true)." };
        var insecure = new Option<bool>("--insecure") { Description = "Serve without authentication on an address other than loopback (or ORLEANSFLOW_SERVER_INSECURE=true)." };
        var allowedHost = new Option<string[]>("--allowed-host")
        {
            Description = "A Host name the server answers to, beside localhost and its own address; repeatable, * for any (or ORLEANSFLOW_SERVER_ALLOWED_HOSTS).",
            AllowMultipleArgumentsPerToken = false,
        };
        var start = new Command("start", description)
        {
            host,
            port,
            noDashboard,
            apiKey,
            requireApiKey,
            insecure,
            allowedHost,
        };
        start.SetAction(async (parse, cancellationToken) =>
        {
            ServerOptions options;
            try
            {
                options = ServerOptions.FromEnvironment();
                options.Host = parse.GetValue(host) ?? options.Host;
                options.Port = parse.GetValue(port) ?? options.Port;
                options.Dashboard &= !parse.GetValue(noDashboard);
                options.ApiKey = parse.GetValue(apiKey) ?? GlobalApiKey(parse, apiKey) ?? options.ApiKey;
                options.RequireApiKey |= parse.GetValue(requireApiKey);
                options.Insecure |= parse.GetValue(insecure);
                foreach (var name in parse.GetValue(allowedHost) ?? [])
                {
                    options.AllowedHosts.Add(name);
                }

                options.Validate();
            }
            catch (InvalidOperationException ex)
            {
                await Console.Error.WriteLineAsync($"orleansflow: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            return await RunAsync(options, hostsGrains, cancellationToken).ConfigureAwait(false);
        });

        return start;
    }

    /// <summary>The value of the root's global <c>--api-key</c> (the client commands' key), for a line that gives it before
    /// the command (<c>orleansflow --api-key K server start</c>): said there, it can only mean the server's key, which would
    /// otherwise be dropped without a word. Null when the root has no such option or it was not given.</summary>
    private static string? GlobalApiKey(ParseResult parse, Option<string?> own) =>
        parse.RootCommandResult.Command.Options.OfType<Option<string?>>().FirstOrDefault(o => o.Name == own.Name && !ReferenceEquals(o, own)) is { } global
            ? parse.GetValue(global)
            : null;

    private static async Task<int> RunAsync(ServerOptions options, bool hostsGrains, CancellationToken cancellationToken)
    {
        var what = hostsGrains ? "server" : "gateway";
        if (PortTaken(options) is { } taken)
        {
            // Before the silo starts: a port in use is then one line, not a silo started and stopped again around Kestrel's error.
            await Console.Error.WriteLineAsync($"orleansflow: cannot start the {what}: {taken} "
                + "(is another server running? --port or ORLEANSFLOW_SERVER_PORT picks another port)").ConfigureAwait(false);
            return 1;
        }

        WebApplication app;
        try
        {
            Action<ILoggingBuilder> logging = logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
            app = hostsGrains
                ? await GatewayHost.BuildAsync(options, logging: logging, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await GatewayHost.BuildGatewayAsync(options, logging: logging, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
        {
            await Console.Error.WriteLineAsync($"orleansflow: cannot start the {what}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                // Kestrel could not listen: most often another server (or another program) has the port.
                await Console.Error.WriteLineAsync($"orleansflow: cannot start the {what}: {ex.Message} "
                    + "(is another server running? --port or ORLEANSFLOW_SERVER_PORT picks another port)").ConfigureAwait(false);
                return 1;
            }

            var database = options.Database.Dialect == SqlDialect.Postgres ? DatabaseOptions.Redact(options.Database.DatabaseUrl!) : options.Database.SqlitePath;
            var dashboard = hostsGrains && options.Dashboard ? ", Orleans Dashboard at /dashboard" : "";
            Console.WriteLine($"OrleansFlow {what} on http://{options.Host}:{options.Port} (API at /api{dashboard}), database: {database}, "
                + (options.AuthenticationEnabled ? "API keys required" : "no authentication"));

            // On SQLite, ephemeral flow programs on the same file find this server and use it instead of a silo of their own.
            using var advertised = options.Database.Dialect == SqlDialect.Sqlite
                ? LocalServerFile.Publish(options.Database.SqlitePath, ApiUrl(app, options), options.AuthenticationEnabled)
                : null;
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Why the server's port cannot be listened on (in use, or not allowed), or null when it can (or is 0, any free
    /// port). Kestrel's own error at start-up stays the last line for a port taken between this check and the start.</summary>
    private static string? PortTaken(ServerOptions options)
    {
        if (options.Port == 0)
        {
            return null;
        }

        var addresses = options.Host is "localhost" ? [IPAddress.Loopback] :
            IPAddress.TryParse(options.Host, out var address) ? [address] : Array.Empty<IPAddress>();
        foreach (var candidate in addresses)
        {
            using var probe = new Socket(candidate.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // As Kestrel binds: a port whose last connections are still closing (TIME_WAIT) is free; one listened on is not.
            probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                probe.Bind(new IPEndPoint(candidate, options.Port));
            }
            catch (SocketException ex)
            {
                return $"cannot listen on {options.Host}:{options.Port}: {ex.Message}.";
            }
        }

        return null;
    }

    /// <summary>The API root the started server answers at (a loopback address when it listens on all of them).</summary>
    private static Uri ApiUrl(WebApplication app, ServerOptions options)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://{options.Host}:{options.Port}";
        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "*" or "+")
        {
            uri.Host = "127.0.0.1";
        }

        uri.Path = "/api";
        return uri.Uri;
    }
}
