using System.CommandLine;

namespace OrleansFlow.Cli.Server;

/// <summary><c>orleansflow gateway start</c>: the HTTP API and the UI served from a silo cluster on PostgreSQL by an
/// Orleans client, hosting no grain (the gateway tier of deploy/k8s). It takes the server's options.</summary>
internal static class GatewayCommand
{
    public static Command Create() => new("gateway", "Run an HTTP gateway of a silo cluster (the gateway tier: no grains hosted here).")
    {
        ServerCommand.StartCommand("Start a gateway: the API at http://HOST:PORT/api and the UI, served from the silo cluster kept in the PostgreSQL "
            + "database of ORLEANSFLOW_DATABASE_URL (its silos need ORLEANSFLOW_SILO_GATEWAY_PORT).", hostsGrains: false),
    };
}
