using System.Text.Json;

namespace OrleansFlow.Grains.Deployments;

/// <summary>One of a deployment's schedules (Prefect 2.16+'s <c>DeploymentSchedule</c>): the scheduler creates runs
/// from every active one of a deployment that is not paused.</summary>
public sealed record DeploymentScheduleEntry
{
    /// <summary>The schedule's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The deployment it belongs to.</summary>
    public Guid? DeploymentId { get; init; }

    /// <summary>The schedule as given (interval, cron or rrule object).</summary>
    public required JsonElement Schedule { get; init; }

    /// <summary>False keeps the schedule without making runs; default true.</summary>
    public bool Active { get; init; } = true;

    /// <summary>Stored and answered (Prefect 2.20); not enforced by this server.</summary>
    public int? MaxActiveRuns { get; init; }

    /// <summary>Stored and answered (Prefect 2.20); not enforced by this server.</summary>
    public int? MaxScheduledRuns { get; init; }

    /// <summary>Stored and answered (Prefect 2.20); not enforced by this server.</summary>
    public bool Catchup { get; init; }
}
