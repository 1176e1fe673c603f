namespace OrleansFlow.Grains.Hosting;

/// <summary>What the silo hosting the grains gives them besides their stores: the database, the clock, ids and settings.
/// Registered as a singleton in the silo's services; the grains take it in their constructors.</summary>
public interface IGrainServices
{
    /// <summary>The database the grains persist to.</summary>
    IGrainDatabase Database { get; }

    /// <summary>The clock every grain reads.</summary>
    TimeProvider Clock { get; }

    /// <summary>The grains' settings.</summary>
    IGrainSettings Settings { get; }

    /// <summary>A new time-ordered id (UUIDv7), strictly increasing within this process.</summary>
    Guid NewId();

    /// <summary>A sample in [0, 1) for the retry-jitter rules (seeded in tests, for repeatable delays).</summary>
    double NextJitterSample();
}

/// <summary>The settings the grains read, bound by the silo from its configuration.</summary>
public interface IGrainSettings
{
    /// <summary>How long a task run waits before asking again for a tag concurrency slot that was full (Prefect's
    /// <c>PREFECT_TASK_RUN_TAG_CONCURRENCY_SLOT_WAIT_SECONDS</c>).</summary>
    int TagConcurrencySlotWaitSeconds { get; }

    /// <summary>How long a concurrency slot is held before its holder is checked to still be RUNNING.</summary>
    TimeSpan ConcurrencySlotLease { get; }

    /// <summary>A RUNNING flow run silent for this long is marked CRASHED.</summary>
    TimeSpan HeartbeatTimeout { get; }

    /// <summary>Whether every RUNNING flow run is watched for heartbeats, not only those that have sent one.</summary>
    bool HeartbeatsRequired { get; }

    /// <summary>The period of the deployments' and automations' reminders (and the minimum reminder period).</summary>
    TimeSpan SchedulePeriod { get; }

    /// <summary>How long stored events are kept.</summary>
    TimeSpan EventRetention { get; }
}
