using Microsoft.Extensions.Hosting;
using OrleansFlow.Silo.Events;

namespace OrleansFlow.Gateway.Events;

/// <summary>Starts the process's <see cref="EventFeed"/> with the host and stops it with the host.</summary>
internal sealed class EventFeedService(EventFeed feed) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        feed.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => feed.DisposeAsync().AsTask();
}
