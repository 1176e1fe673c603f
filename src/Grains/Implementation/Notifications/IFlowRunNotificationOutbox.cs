namespace OrleansFlow.Grains.Notifications;

/// <summary>The queue of flow run notifications, as <see cref="FlowRunNotificationGrain"/> drains it. Implemented by the
/// silo.</summary>
public interface IFlowRunNotificationOutbox
{
    /// <summary>The most notifications one call sends: a call that handled this many is followed by another at once.</summary>
    int BatchSize { get; }

    /// <summary>Sends up to <see cref="BatchSize"/> queued notifications, oldest first, and marks each one sent (with its
    /// result) once it has been sent; forgets the sent ones old enough that their event cannot be delivered again.</summary>
    /// <returns>How many queued notifications were handled.</returns>
    Task<int> SendNextAsync(CancellationToken cancellationToken);
}
