namespace OrleansFlow.Grains.Hosting;

/// <summary>A grain that drains a backlog for the whole cluster (the automation dispatcher, the flow run notification
/// sender): single activation, so one silo drains at a time; a kept-alive timer (<see cref="KeptAliveLoop"/>) drains every
/// <see cref="Interval"/>, and a reminder starts the timer again on another silo after its silo is lost. A drain takes
/// batches until one comes back short; a failed tick is reported and left to the next one.</summary>
/// <param name="services">The grain settings (the reminder period).</param>
/// <param name="reminder">The name of the reminder that is the loop's durable backstop.</param>
/// <param name="interval">How often the timer drains.</param>
internal abstract class DrainLoopGrain(IGrainServices services, string reminder, TimeSpan interval) : Grain, IRemindable
{
    private IGrainTimer? _timer;

    /// <summary>How often the timer drains.</summary>
    protected TimeSpan Interval { get; } = interval;

    /// <summary>The most one batch handles: a batch that handled this many is followed by another at once.</summary>
    protected abstract int BatchSize { get; }

    /// <summary>Starts the timer and registers the reminder (idempotent).</summary>
    public async Task StartAsync()
    {
        if (_timer is not null)
        {
            return;
        }

        _timer = await KeptAliveLoop.StartAsync(this, services.Settings, reminder, Interval, static grain => grain.TickAsync());
    }

    /// <summary>Handles batches until one is short of <see cref="BatchSize"/>.</summary>
    /// <returns>How many items were handled in all.</returns>
    public async Task<int> DrainAsync()
    {
        var total = 0;
        int handled;
        do
        {
            handled = await DrainBatchAsync();
            total += handled;
        }
        while (handled > 0 && handled >= BatchSize);
        return total;
    }

    /// <inheritdoc/>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == reminder)
        {
            await StartAsync();
        }
    }

    /// <summary>Drains now (a wake-up), and starts the timer if it is not running.</summary>
    protected async Task DrainNowAsync()
    {
        await StartAsync();
        await TickAsync();
    }

    /// <summary>Handles one batch of at most <see cref="BatchSize"/> items.</summary>
    /// <returns>How many items were handled (0: nothing left, or nothing this silo can do).</returns>
    protected abstract Task<int> DrainBatchAsync();

    /// <summary>Reports a tick that failed; what it did not finish is left for the next tick.</summary>
    protected abstract void OnDrainFailed(Exception exception);

    private async Task TickAsync()
    {
        try
        {
            await DrainAsync();
        }
        catch (Exception ex)
        {
            OnDrainFailed(ex);
        }
    }
}
