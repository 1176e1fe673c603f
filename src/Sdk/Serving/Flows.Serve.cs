using System.Runtime.InteropServices;

namespace OrleansFlow;

/// <summary>Serving deployments in-process.</summary>
public static partial class Flows
{
    /// <summary>Registers <paramref name="deployments"/> on the server and runs their runs in this process until Ctrl+C
    /// (or SIGTERM); see <see cref="FlowServer"/>. Writes what it does to the console. On the signal it takes no more runs,
    /// the runs in flight end CRASHED (as in any flow process that is interrupted) and it returns.</summary>
    /// <exception cref="Client.OrleansFlowApiException">The server refused a registration.</exception>
    public static Task ServeAsync(params Deployment[] deployments) =>
        ServeAsync(new ServeOptions { Log = Console.Out }, CancellationToken.None, deployments);

    /// <summary>Registers <paramref name="deployments"/> and runs their runs in this process until
    /// <paramref name="cancellationToken"/> is cancelled, Ctrl+C or SIGTERM. Writes what it does to the console.</summary>
    /// <example><code>
    /// await Flows.ServeAsync(cancellationToken,
    ///     Deployment.For(MyFlows.Etl, name: "nightly", cron: "0 3 * * *", parameters: new { day = "yesterday" }, tags: ["etl"]));
    /// </code></example>
    /// <exception cref="Client.OrleansFlowApiException">The server refused a registration.</exception>
    public static Task ServeAsync(CancellationToken cancellationToken, params Deployment[] deployments) =>
        ServeAsync(new ServeOptions { Log = Console.Out }, cancellationToken, deployments);

    /// <summary>Registers <paramref name="deployments"/> and runs their runs in this process as <paramref name="options"/>
    /// say (e.g. <see cref="ServeOptions.Limit"/>) until <paramref name="cancellationToken"/> is cancelled, Ctrl+C or SIGTERM.</summary>
    /// <exception cref="Client.OrleansFlowApiException">The server refused a registration.</exception>
    public static async Task ServeAsync(ServeOptions options, CancellationToken cancellationToken, params Deployment[] deployments)
    {
        ArgumentNullException.ThrowIfNull(options);
        var server = new FlowServer(deployments, options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            // Serving stops instead of the process: it ends when ServeAsync returns. The runs in flight are reported
            // CRASHED by the SDK's own signal handling.
            context.Cancel = true;
            server.Interrupted = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        await server.RunAsync(stop.Token).ConfigureAwait(false);
    }

    /// <summary>Blocks serving <paramref name="deployments"/> until Ctrl+C or SIGTERM; see
    /// <see cref="ServeAsync(Deployment[])"/>.</summary>
    public static void Serve(params Deployment[] deployments) => ServeAsync(deployments).GetAwaiter().GetResult();
}
