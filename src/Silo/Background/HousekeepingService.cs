using Microsoft.Extensions.Hosting;
using OrleansFlow.Grains.Housekeeping;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Background;

/// <summary>Starts the cluster's housekeeper grain (<see cref="IHousekeeperGrain"/>) once this process's silo serves
/// calls. Every server starts it; Orleans keeps one activation, so the sweep still runs once.</summary>
/// <param name="silo">The runtime, attached to its silo.</param>
public sealed class HousekeepingService(OrleansFlowSilo silo) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => silo.Housekeeper.StartAsync();

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
