using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFlow.Client;
using OrleansFlow.Client.Logging;
using OrleansFlow.Worker.Kubernetes;

namespace OrleansFlow.Worker.Hosting;

/// <summary>Runs a worker for as long as the host runs: a process worker, or a Kubernetes worker when the pool's type is
/// <c>kubernetes</c> (as <c>orleansflow worker start</c> does), logging through the host's logger.</summary>
internal sealed class WorkerHostedService(IOptions<WorkerServiceOptions> options, ILogger<WorkerHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.ToWorkerOptions();
        using var log = new LoggerWriter(logger);
        using var api = OrleansFlowClient.Create(new OrleansFlowClientOptions { ApiUrl = settings.ApiUrl, UserAgent = "orleansflow-worker", ApiKey = settings.ApiKey });
        string? type = null;
        try
        {
            type = (await api.ReadWorkPoolAsync(settings.Pool, stoppingToken).ConfigureAwait(false))?.Type;
        }
        catch (Exception e) when (e is HttpRequestException or OrleansFlowApiException)
        {
            logger.LogWarning(e, "Cannot read work pool {Pool}; running as a process worker.", settings.Pool);
        }

        using var kubernetes = type == "kubernetes" ? KubernetesApi.InCluster() : null;
        using IWorker worker = kubernetes is null ? new ProcessWorker(settings, api, log) : new KubernetesWorker(settings, api, kubernetes, log);
        logger.LogInformation("Worker {Name} polls work pool {Pool} at {ApiUrl}.", settings.Name, settings.Pool, settings.ApiUrl);
        await new WorkerHost(settings, worker, log).RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
