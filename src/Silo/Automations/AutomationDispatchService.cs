using Microsoft.Extensions.Hosting;
using OrleansFlow.Grains.Automations;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Automations;

/// <summary>Starts the cluster's automation dispatcher grain when the host starts (register it after the silo).</summary>
public sealed class AutomationDispatchService(OrleansFlowSilo silo) : IHostedService
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => silo.Grains.GetGrain<IAutomationDispatcherGrain>(0).StartAsync();

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
