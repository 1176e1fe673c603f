namespace OrleansFlow.Grains.Housekeeping;

/// <summary>The cluster's housekeeper, one grain (key 0): every few seconds it renames SCHEDULED runs that are 15 s past
/// due to <c>Late</c> (through each run's grain, whose rules refuse it for a run that started meanwhile), drops expired
/// worker claims and forgets the heartbeats of finished runs. Orleans keeps it to one activation in the cluster, so the
/// sweep runs once however many servers share the database; a reminder brings it back after the silo holding it dies.</summary>
[Alias("OrleansFlow.IHousekeeperGrain")]
public interface IHousekeeperGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the periodic sweep (idempotent): what a server calls once its silo is active.</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Sweeps once now.</summary>
    /// <returns>How many runs were marked late.</returns>
    [Alias("Sweep")]
    Task<int> SweepAsync();
}
