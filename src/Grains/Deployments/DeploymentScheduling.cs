using System.Text.Json;

namespace OrleansFlow.Grains.Deployments;

/// <summary>Which schedules of a deployment make runs.</summary>
public static class DeploymentScheduling
{
    /// <summary>The schedules the scheduler follows: none when the deployment is paused; else its active
    /// <see cref="Deployment.Schedules"/>, or, for a deployment stored before those existed, its single
    /// <see cref="Deployment.Schedule"/>.</summary>
    public static IReadOnlyList<JsonElement> Active(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.Paused || !deployment.IsScheduleActive)
        {
            return [];
        }

        if (deployment.Schedules.Count > 0)
        {
            return [.. deployment.Schedules.Where(s => s.Active && s.Schedule.ValueKind == JsonValueKind.Object).Select(s => s.Schedule)];
        }

        return deployment.Schedule is { ValueKind: JsonValueKind.Object } legacy ? [legacy] : [];
    }
}
