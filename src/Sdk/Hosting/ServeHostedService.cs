using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFlow.Client.Logging;

namespace OrleansFlow.Hosting;

/// <summary>Serves deployments for as long as the host runs (<see cref="FlowServer"/>), logging through the host's logger.</summary>
internal sealed class ServeHostedService(IEnumerable<Deployment> deployments, IOptions<ServeHostOptions> options, ILogger<ServeHostedService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var log = new LoggerWriter(logger);
        var server = new FlowServer(deployments, new ServeOptions
        {
            WorkPool = settings.WorkPool,
            Limit = settings.Limit,
            Name = settings.Name,
            PollWait = settings.PollWait,
            ShutdownGracePeriod = settings.ShutdownGracePeriod,
            Log = log,
        });
        using var scope = settings.ApiUrl is { Length: > 0 } url ? Flows.UseApi(url) : null;
        await server.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
