namespace OrleansFlow.Grains.Hosting;

/// <summary>A grain that runs a loop for the whole cluster (the housekeeper, the automation dispatcher): a timer that keeps
/// the activation alive and calls it at a short interval, and a reminder as the durable backstop that starts it again on
/// another silo after its silo is lost.</summary>
internal static class KeptAliveLoop
{
    /// <summary>Registers <paramref name="reminder"/> (every minute, or the silo's minimum reminder period when tests raise
    /// it) and a keep-alive timer that calls <paramref name="tick"/> every <paramref name="interval"/>.</summary>
    public static async Task<IGrainTimer> StartAsync<TGrain>(TGrain grain, IGrainSettings settings, string reminder, TimeSpan interval,
        Func<TGrain, Task> tick)
        where TGrain : Grain, IRemindable
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks, settings.SchedulePeriod.Ticks));
        await grain.RegisterOrUpdateReminder(reminder, period, period);
        return grain.RegisterGrainTimer(static (state, _) => state.Tick(state.Grain), (Grain: grain, Tick: tick),
            new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
    }
}
